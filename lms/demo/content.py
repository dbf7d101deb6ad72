"""The demo data itself: a cross-border e-commerce programme at a fictional school in Horgos.

Plain data only; :mod:`lms.demo.loader` turns it into rows. The demand weights of the first six competencies
are the employer-survey figures the project was given; the other six are estimates.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from courses.models import CalculationMethod, TrackKind
from lms.roles import EMPLOYERS, JUDGES, MENTORS, TEACHERS

# Published on purpose: every demo account shares it, and the command prints it.
DEMO_PASSWORD = "kesai-demo-2026"  # noqa: S105

SITE_NAME = "Kesai"
HOME_TITLE = "Kesai"
HOME_INTRODUCTION = (
    "<p>Course–competition integration at Horgos Business School: what students learn in class is practised "
    "in skills contests, real platform tasks and enterprise projects, and every scored piece of work becomes "
    "evidence on an <b>evidence-based competency transcript</b>.</p>"
)

BRANDING = {
    "school_name": "Horgos Business School",
    "school_name_zh": "霍尔果斯商学院",
    "primary_colour": "#0b6e4f",
    "transcript_footer": (
        "Academic Affairs Office, Horgos Business School · Horgos, Xinjiang, China · "
        "registrar@hbs.example.edu.cn · Check that this transcript is genuine by scanning the QR code on its "
        "first page."
    ),
}


@dataclass(frozen=True)
class LevelSpec:
    name: str
    points: Decimal
    descriptor: str
    is_mastery: bool = False


SCALE_NAME = "Four-level scale"
SCALE_DESCRIPTION = "Beginning, developing, proficient (mastery) and exemplary, scored 1–4."
SCALE_LEVELS = (
    LevelSpec("Beginning", Decimal("1"), "Completes parts of the task with close guidance."),
    LevelSpec("Developing", Decimal("2"), "Completes routine tasks with some guidance; errors remain."),
    LevelSpec("Proficient", Decimal("3"), "Completes real tasks independently to workplace standard.", True),
    LevelSpec("Exemplary", Decimal("4"), "Handles non-routine tasks and improves on the standard practice."),
)

FRAMEWORK_NAME = "Cross-border E-commerce Competency Framework"
FRAMEWORK_DESCRIPTION = (
    "Competencies employers in cross-border e-commerce ask for (跨境电商人才能力框架), weighted by industry "
    "demand from employer surveys."
)
FRAMEWORK_METHOD = CalculationMethod.WEIGHTED_LATEST


@dataclass(frozen=True)
class CompetencySpec:
    code: str
    name: str
    name_zh: str
    demand_weight: int
    description: str
    parent: str = ""


COMPETENCIES = (
    CompetencySpec(
        "CBE-01",
        "Foreign language and intercultural communication",
        "外语与跨文化沟通能力",
        89,
        "Reads, writes and speaks the buyer's language and adapts to the buyer's business culture.",
    ),
    CompetencySpec(
        "CBE-02",
        "Economic and trade knowledge",
        "经济贸易知识",
        100,
        "Terms of trade, pricing, payment, foreign exchange and the flow of an export order.",
    ),
    CompetencySpec(
        "CBE-03",
        "Oral communication",
        "口头表达能力",
        91,
        "Presents, negotiates and answers questions clearly, in person, on calls and on live streams.",
    ),
    CompetencySpec(
        "CBE-04",
        "Computer operation",
        "计算机操作能力",
        93,
        "Office software, spreadsheets for store data, image editing and platform back-office tools.",
    ),
    CompetencySpec(
        "CBE-05",
        "Management",
        "管理能力",
        34,
        "Plans work, stock and budgets, and coordinates people and suppliers.",
    ),
    CompetencySpec(
        "CBE-06",
        "Teamwork",
        "团队协作能力",
        97,
        "Shares work in an operations team, keeps agreements and helps colleagues.",
    ),
    CompetencySpec(
        "CBE-07",
        "Market insight",
        "市场洞察能力",
        80,
        "Reads market, search and competitor data and turns it into product and pricing decisions.",
    ),
    CompetencySpec(
        "CBE-08",
        "Cross-border platform operation",
        "跨境平台运营能力",
        88,
        "Runs a store on a cross-border platform: account, listings, advertising, orders and service.",
    ),
    CompetencySpec(
        "CBE-08.1",
        "Product listing and store optimisation",
        "产品上架与店铺优化",
        85,
        "Lists products with compliant titles, keywords, images and prices, and improves them from store data.",
        parent="CBE-08",
    ),
    CompetencySpec(
        "CBE-09",
        "Off-site (external) marketing",
        "站外营销能力",
        75,
        "Brings buyers to the store from social media, influencers, search engines and email.",
    ),
    CompetencySpec(
        "CBE-09.1",
        "Live-streaming sales",
        "直播带货能力",
        72,
        "Plans and hosts live sales sessions and improves them from session data.",
        parent="CBE-09",
    ),
    CompetencySpec(
        "CBE-10",
        "International logistics and customs",
        "国际物流与报关能力",
        70,
        "Chooses shipping channels, prepares customs documents and plans overseas-warehouse stock.",
    ),
    CompetencySpec(
        "CBE-11",
        "Laws and regulations",
        "法律法规知识",
        60,
        "Contract law, intellectual property, platform rules, export control and data protection.",
    ),
    CompetencySpec(
        "CBE-12",
        "Innovation and entrepreneurship",
        "创新创业能力",
        65,
        "Spots opportunities, tests ideas with buyers and writes a credible business plan.",
    ),
)

PROGRAMME_NAME = "Cross-border E-commerce"
PROGRAMME_CODE = "CBEC"
PROGRAMME_DESCRIPTION = (
    "Three-year higher vocational programme (跨境电子商务专业) built on “1 platform + modules”: shared platform "
    "courses, directional modules, expansion courses, a live-streaming micro-profession and an excellence class."
)

PLATFORM_TRACK = "Platform courses"
OPERATION_TRACK = "Platform operation module"
MARKETING_TRACK = "Digital marketing module"
EXPANSION_TRACK = "Expansion courses"
LIVE_STREAMING_TRACK = "Live-streaming micro-profession"
EXCELLENCE_TRACK = "Excellence class"

TRACKS = (
    (PLATFORM_TRACK, TrackKind.PLATFORM, "Shared foundation courses every student takes."),
    (OPERATION_TRACK, TrackKind.DIRECTIONAL, "Store operation, logistics and customs on cross-border platforms."),
    (MARKETING_TRACK, TrackKind.DIRECTIONAL, "Advertising, content and social-media marketing for overseas buyers."),
    (EXPANSION_TRACK, TrackKind.EXPANSION, "Law, finance and languages that widen a graduate's options."),
    (LIVE_STREAMING_TRACK, TrackKind.MICRO_PROFESSION, "Short certificate track run with enterprise mentors."),
    (EXCELLENCE_TRACK, TrackKind.EXCELLENCE_CLASS, "Selected students who train for national skills contests."),
)

COURSE_INDEX_TITLE = "Courses"
COURSE_INDEX_SLUG = "courses"
COURSE_INDEX_INTRODUCTION = (
    "<p>Courses of the <b>Cross-border E-commerce</b> programme, grouped by track. Each course lists its "
    "learning outcomes and the competencies they build.</p>"
)


@dataclass(frozen=True)
class PersonSpec:
    username: str
    family_name: str
    given_name: str
    email: str
    group: str = ""
    organisation: str = ""
    is_superuser: bool = False


MENTOR_ORGANISATION = "Horgos Silk Road Cross-border E-commerce Co., Ltd."
EMPLOYER_COMPANY = "Xinjiang Tianshan Digital Trade Co., Ltd."

STAFF = (
    PersonSpec("teacher", "李", "华", "li.hua@hbs.example.edu.cn", TEACHERS),
    PersonSpec("teacher2", "王", "敏", "wang.min@hbs.example.edu.cn", TEACHERS),
    PersonSpec("mentor", "张", "伟", "zhang.wei@silkroad-cbec.example.com", MENTORS, MENTOR_ORGANISATION),
    PersonSpec("judge", "陈", "静", "chen.jing@horgos-ec-association.example.org", JUDGES),
    PersonSpec("employer", "刘", "洋", "liu.yang@tianshan-trade.example.com", EMPLOYERS, EMPLOYER_COMPANY),
    PersonSpec("admin", "赵", "强", "zhao.qiang@hbs.example.edu.cn", is_superuser=True),
)

COHORT_NAME = "CBEC 2024 Class 1"
COHORT_ENTRY_YEAR = 2024
COHORT_ENROLLED_ON = date(2024, 9, 2)
STUDENT_NUMBER_PREFIX = "20240101"

#: (family name, given name), in student-number order.
STUDENT_NAMES = (
    ("王", "芳"),
    ("李", "娜"),
    ("张", "磊"),
    ("陈", "晨"),
    ("杨", "帆"),
    ("黄", "婷"),
    ("赵", "鑫"),
    ("吴", "昊"),
    ("周", "琳"),
    ("徐", "佳怡"),
    ("孙", "浩然"),
    ("马", "晓燕"),
    ("朱", "子涵"),
    ("胡", "欣然"),
    ("郭", "宇轩"),
    ("何", "雨桐"),
    ("高", "俊杰"),
    ("林", "诗涵"),
    ("罗", "志强"),
    ("郑", "梦琪"),
    ("梁", "博文"),
    ("谢", "思远"),
    ("宋", "雅琪"),
    ("唐", "嘉豪"),
    ("许", "婉清"),
    ("韩", "明轩"),
    ("冯", "心怡"),
    ("邓", "子豪"),
    ("曹", "静怡"),
    ("彭", "文博"),
    ("曾", "悦"),
    ("肖", "天宇"),
    ("田", "甜"),
    ("董", "一鸣"),
    ("潘", "若曦"),
    ("袁", "梓萱"),
    ("蒋", "凯"),
    ("吐尔逊", "阿依努尔"),
    ("别克", "叶尔兰"),
    ("艾买提", "古丽娜尔"),
)


@dataclass(frozen=True)
class UnitSpec:
    title: str
    hours: int
    practice: bool
    topics: tuple[str, ...]


@dataclass(frozen=True)
class OutcomeSpec:
    code: str
    description: str
    #: (competency code, alignment weight)
    alignments: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    title: str
    code: str
    credits: Decimal
    term: str
    track: str
    teacher: str
    summary: str
    introduction: str
    units: tuple[UnitSpec, UnitSpec]
    outcomes: tuple[OutcomeSpec, ...]
    with_mentor: bool = False


COURSES = (
    CourseSpec(
        slug="business-english",
        title="Business English",
        code="CBEC1101",
        credits=Decimal("4.0"),
        term="2024–2025 autumn",
        track=PLATFORM_TRACK,
        teacher="teacher2",
        summary="Everyday English for trade: emails, product texts, meetings and presentations.",
        introduction="Students practise the English a cross-border seller uses every day, in class and online.",
        units=(
            UnitSpec(
                "Business writing", 32, False, ("Emails and memos", "Product descriptions", "Plain-English style")
            ),
            UnitSpec(
                "Presentations and meetings",
                32,
                True,
                ("Presenting a product", "Handling questions", "Business etiquette across cultures"),
            ),
        ),
        outcomes=(
            OutcomeSpec(
                "LO1",
                "Read and write routine business texts (emails, memos, product descriptions) in clear English.",
                (("CBE-01", "1.0"),),
            ),
            OutcomeSpec(
                "LO2",
                "Give a short business presentation in English and answer questions about it.",
                (("CBE-03", "0.9"), ("CBE-01", "0.6")),
            ),
            OutcomeSpec(
                "LO3",
                "Recognise differences in business etiquette between target markets and adapt to them.",
                (("CBE-01", "0.7"),),
            ),
        ),
    ),
    CourseSpec(
        slug="international-trade-practice",
        title="International Trade Practice",
        code="CBEC1102",
        credits=Decimal("3.0"),
        term="2024–2025 spring",
        track=PLATFORM_TRACK,
        teacher="teacher",
        summary="How an export order works, from inquiry and contract to shipment and payment.",
        introduction="A simulated export business runs through the term; each unit adds one step of the order.",
        units=(
            UnitSpec(
                "Terms of trade and pricing",
                24,
                False,
                ("Incoterms 2020", "Export cost and price calculation", "Foreign exchange basics"),
            ),
            UnitSpec(
                "Contracts, documents and payment",
                24,
                True,
                ("Sales contracts", "Letters of credit, T/T and D/P", "Simulated order from inquiry to settlement"),
            ),
        ),
        outcomes=(
            OutcomeSpec(
                "LO1",
                "Explain the Incoterms 2020 rules and choose suitable terms of trade for a transaction.",
                (("CBE-02", "1.0"), ("CBE-10", "0.4")),
            ),
            OutcomeSpec(
                "LO2",
                "Calculate an export price from costs, freight, insurance and the expected profit.",
                (("CBE-02", "0.8"), ("CBE-04", "0.3")),
            ),
            OutcomeSpec(
                "LO3",
                "Complete a sales contract and the main payment documents for L/C, T/T and D/P.",
                (("CBE-02", "0.7"), ("CBE-11", "0.5")),
            ),
            OutcomeSpec(
                "LO4",
                "Follow an order from inquiry to settlement in a simulated trade, sharing the work in a team.",
                (("CBE-02", "0.6"), ("CBE-06", "0.4")),
            ),
        ),
    ),
    CourseSpec(
        slug="foreign-trade-correspondence",
        title="Foreign Trade Correspondence",
        code="CBEC2103",
        credits=Decimal("2.0"),
        term="2025–2026 autumn",
        track=PLATFORM_TRACK,
        teacher="teacher2",
        summary="Writing to overseas buyers: inquiries, offers, negotiation, orders and complaints.",
        introduction="Students answer real buyer messages collected from partner stores, then revise them.",
        units=(
            UnitSpec(
                "From inquiry to order",
                16,
                False,
                ("Inquiries and replies", "Offers and counter-offers", "Order confirmation"),
            ),
            UnitSpec(
                "After-sales correspondence",
                16,
                True,
                ("Platform buyer messages", "Complaints and claims", "Response times and tone"),
            ),
        ),
        outcomes=(
            OutcomeSpec(
                "LO1",
                "Write inquiries, offers, counter-offers and order confirmations in correct, courteous English.",
                (("CBE-01", "1.0"), ("CBE-02", "0.5")),
            ),
            OutcomeSpec(
                "LO2",
                "Answer buyer messages and complaints on a cross-border platform within the platform's response times.",
                (("CBE-01", "0.8"), ("CBE-08", "0.4")),
            ),
            OutcomeSpec(
                "LO3",
                "Negotiate price, payment and delivery terms by email while protecting the seller's margin.",
                (("CBE-02", "0.6"), ("CBE-01", "0.6")),
            ),
        ),
    ),
    CourseSpec(
        slug="cross-border-e-commerce-platform-operation",
        title="Cross-border E-commerce Platform Operation",
        code="CBEC2201",
        credits=Decimal("4.0"),
        term="2025–2026 autumn",
        track=OPERATION_TRACK,
        teacher="teacher",
        with_mentor=True,
        summary="Running a real store on AliExpress, Amazon or Shopee, taught with an enterprise mentor.",
        introduction=(
            "Teams open and run a store on a partner company's account; the enterprise mentor reviews the "
            "listings and the weekly store report."
        ),
        units=(
            UnitSpec(
                "Opening the store",
                24,
                True,
                ("Seller registration and verification", "Payment and shipping templates", "Platform rules"),
            ),
            UnitSpec(
                "Listing and running the store",
                40,
                True,
                ("Product research and selection", "Titles, keywords and images", "Store data and weekly review"),
            ),
        ),
        outcomes=(
            OutcomeSpec(
                "LO1",
                "Register and set up a seller account on a B2C platform, including payment and shipping templates.",
                (("CBE-08", "1.0"), ("CBE-04", "0.6")),
            ),
            OutcomeSpec(
                "LO2",
                "Research products and list them with compliant titles, keywords, images and prices.",
                (("CBE-08.1", "1.0"), ("CBE-07", "0.5")),
            ),
            OutcomeSpec(
                "LO3",
                "Read store data (traffic, conversion, advertising spend) and propose improvements.",
                (("CBE-08", "0.8"), ("CBE-07", "0.6"), ("CBE-04", "0.4")),
            ),
            OutcomeSpec(
                "LO4",
                "Run store operations in a team with clear roles and a weekly review.",
                (("CBE-06", "0.9"), ("CBE-05", "0.5")),
            ),
        ),
    ),
    CourseSpec(
        slug="logistics-and-supply-chain-management",
        title="Logistics and Supply Chain Management",
        code="CBEC2202",
        credits=Decimal("3.0"),
        term="2025–2026 spring",
        track=OPERATION_TRACK,
        teacher="teacher2",
        with_mentor=True,
        summary="Shipping channels, customs clearance and overseas warehouses for cross-border sellers.",
        introduction="Includes a visit to the Horgos port and a customs-documents practical with the mentor's team.",
        units=(
            UnitSpec(
                "Shipping channels",
                24,
                False,
                ("Postal, express and dedicated lines", "China–Europe rail freight", "Overseas warehouses"),
            ),
            UnitSpec(
                "Customs clearance",
                24,
                True,
                ("Cross-border customs modes 9610, 9710 and 9810", "Declaration documents", "Duties and taxes"),
            ),
        ),
        outcomes=(
            OutcomeSpec(
                "LO1",
                "Compare international shipping options on cost, delivery time and risk for a given order.",
                (("CBE-10", "1.0"), ("CBE-02", "0.4")),
            ),
            OutcomeSpec(
                "LO2",
                "Prepare the customs declaration documents for a cross-border B2C or B2B shipment.",
                (("CBE-10", "0.9"), ("CBE-11", "0.6")),
            ),
            OutcomeSpec(
                "LO3",
                "Plan the stock of an overseas warehouse from a sales forecast.",
                (("CBE-10", "0.6"), ("CBE-05", "0.5"), ("CBE-07", "0.3")),
            ),
        ),
    ),
    CourseSpec(
        slug="online-marketing-and-promotion",
        title="Online Marketing and Promotion",
        code="CBEC2301",
        credits=Decimal("3.0"),
        term="2025–2026 spring",
        track=MARKETING_TRACK,
        teacher="teacher",
        with_mentor=True,
        summary="Market research, platform advertising and off-site promotion for overseas buyers.",
        introduction="Students plan and run a small advertising budget for a partner store and report the results.",
        units=(
            UnitSpec(
                "Market and competitor research",
                16,
                False,
                ("Platform search data", "Competitor analysis", "Choosing a target market"),
            ),
            UnitSpec(
                "Advertising and promotion",
                32,
                True,
                ("Keyword advertising", "Store promotions", "Social media, influencers and email marketing"),
            ),
        ),
        outcomes=(
            OutcomeSpec(
                "LO1",
                "Analyse a target market and its competitors with platform and search data.",
                (("CBE-07", "1.0"), ("CBE-04", "0.4")),
            ),
            OutcomeSpec(
                "LO2",
                "Plan and run on-platform advertising and promotions within a budget.",
                (("CBE-08", "0.7"), ("CBE-09", "0.5")),
            ),
            OutcomeSpec(
                "LO3",
                "Promote a store off the platform through social media, influencers and email marketing.",
                (("CBE-09", "1.0"), ("CBE-01", "0.4")),
            ),
            OutcomeSpec(
                "LO4",
                "Measure a campaign's results and present them to a manager.",
                (("CBE-07", "0.5"), ("CBE-03", "0.5"), ("CBE-04", "0.5")),
            ),
        ),
    ),
    CourseSpec(
        slug="e-commerce-copywriting",
        title="E-commerce Copywriting",
        code="CBEC2302",
        credits=Decimal("2.0"),
        term="2025–2026 spring",
        track=MARKETING_TRACK,
        teacher="teacher2",
        with_mentor=True,
        summary="Product and social-media copy that follows platform rules and sells to overseas buyers.",
        introduction="Copy written in class is tested on the mentor company's listings and social accounts.",
        units=(
            UnitSpec(
                "Product copy",
                16,
                True,
                ("Titles and bullet points", "Descriptions and A+ content", "Platform rules on claims"),
            ),
            UnitSpec(
                "Content marketing copy",
                16,
                True,
                ("Social-media posts", "Short-video scripts", "A/B tests and revision"),
            ),
        ),
        outcomes=(
            OutcomeSpec(
                "LO1",
                "Write product titles, bullet points and descriptions that meet platform rules and buyers' "
                "search habits.",
                (("CBE-08.1", "0.8"), ("CBE-01", "0.7")),
            ),
            OutcomeSpec(
                "LO2",
                "Write social-media posts and short-video scripts for a given market and audience.",
                (("CBE-09", "0.9"), ("CBE-01", "0.5")),
            ),
            OutcomeSpec(
                "LO3",
                "Revise copy from A/B-test results and buyer feedback.",
                (("CBE-07", "0.6"), ("CBE-12", "0.4")),
            ),
        ),
    ),
    CourseSpec(
        slug="international-trade-law",
        title="International Trade Law",
        code="CBEC3101",
        credits=Decimal("2.0"),
        term="2026–2027 autumn",
        track=EXPANSION_TRACK,
        teacher="teacher",
        summary="The law a cross-border seller meets: sales contracts, intellectual property and platform rules.",
        introduction="Each unit starts from a real dispute or platform penalty and works back to the rule behind it.",
        units=(
            UnitSpec(
                "Contracts and disputes",
                16,
                False,
                ("The CISG", "Breach and remedies", "Arbitration and platform dispute resolution"),
            ),
            UnitSpec(
                "Compliance for online sellers",
                16,
                False,
                ("Trademarks, patents and copyright", "China's E-commerce Law", "Export control and data protection"),
            ),
        ),
        outcomes=(
            OutcomeSpec(
                "LO1",
                "Identify the obligations of buyer and seller under the CISG in a given dispute.",
                (("CBE-11", "1.0"), ("CBE-02", "0.5")),
            ),
            OutcomeSpec(
                "LO2",
                "Recognise intellectual-property risks (trademarks, patents, copyright) before listing a product "
                "abroad.",
                (("CBE-11", "0.9"), ("CBE-08", "0.3")),
            ),
            OutcomeSpec(
                "LO3",
                "Apply China's E-commerce Law and export-control and data-protection rules to a seller's daily work.",
                (("CBE-11", "0.8"),),
            ),
        ),
    ),
    CourseSpec(
        slug="live-streaming-e-commerce",
        title="Live-streaming E-commerce",
        code="CBEC3201",
        credits=Decimal("3.0"),
        term="2026–2027 autumn",
        track=LIVE_STREAMING_TRACK,
        teacher="teacher",
        with_mentor=True,
        summary="Planning, hosting and reviewing live sales sessions for buyers in Central Asia and beyond.",
        introduction=(
            "Students host sessions in the school's live-streaming studio and on the mentor company's account."
        ),
        units=(
            UnitSpec(
                "Planning a live stream",
                16,
                False,
                ("Product selection", "Run sheets and scripts", "Studio equipment and platform tools"),
            ),
            UnitSpec(
                "Hosting and review",
                32,
                True,
                ("Hosting in English or Russian", "Answering viewers in real time", "Session data and review"),
            ),
        ),
        outcomes=(
            OutcomeSpec(
                "LO1",
                "Plan a live stream: product selection, run sheet, script and team roles.",
                (("CBE-09.1", "0.9"), ("CBE-06", "0.5")),
            ),
            OutcomeSpec(
                "LO2",
                "Host a live sales session in English or Russian, answering viewers' questions in real time.",
                (("CBE-03", "1.0"), ("CBE-01", "0.7"), ("CBE-09.1", "0.6")),
            ),
            OutcomeSpec(
                "LO3",
                "Set up streaming equipment and platform tools such as TikTok Shop and AliExpress Live.",
                (("CBE-04", "0.8"),),
            ),
            OutcomeSpec(
                "LO4",
                "Review session data (viewers, conversion, sales) and improve the next stream.",
                (("CBE-07", "0.6"), ("CBE-09.1", "0.5"), ("CBE-12", "0.3")),
            ),
        ),
    ),
)


@dataclass(frozen=True)
class AssessmentSpec:
    course_slug: str
    title: str
    held_on: date
    outcome_codes: tuple[str, ...]
    #: Added to each student's ability: harder assessments score lower on average.
    difficulty: int = 0


MAX_SCORE = Decimal("100")

ASSESSMENTS = (
    AssessmentSpec("business-english", "Oral presentation", date(2025, 1, 8), ("LO2", "LO3")),
    AssessmentSpec(
        "cross-border-e-commerce-platform-operation", "Product listing practical", date(2025, 11, 14), ("LO1", "LO2")
    ),
    AssessmentSpec(
        "foreign-trade-correspondence", "Correspondence portfolio", date(2025, 12, 20), ("LO1", "LO2", "LO3")
    ),
    AssessmentSpec(
        "cross-border-e-commerce-platform-operation", "Store operation project", date(2026, 1, 9), ("LO3", "LO4"), 3
    ),
    AssessmentSpec("online-marketing-and-promotion", "Mid-term exam", date(2026, 4, 22), ("LO1", "LO2"), -6),
    AssessmentSpec(
        "logistics-and-supply-chain-management", "Customs documents practical", date(2026, 6, 10), ("LO1", "LO2"), -3
    ),
)


@dataclass(frozen=True)
class CertificateSpec:
    title: str
    competency_code: str
    score: Decimal
    done_on: date
    #: Positions (0-based) in STUDENT_NAMES of the students who hold it; a student holds at most one.
    holders: tuple[int, ...]


CERTIFICATES = (
    CertificateSpec(
        "1+X Cross-border E-commerce B2B Data Operation certificate (intermediate)",
        "CBE-08",
        Decimal("3.00"),
        date(2026, 6, 27),
        (0, 3, 7, 12, 20),
    ),
    CertificateSpec(
        "1+X Live-streaming E-commerce certificate (elementary)",
        "CBE-09.1",
        Decimal("3.00"),
        date(2026, 7, 4),
        (1, 5, 15),
    ),
    CertificateSpec(
        "College English Test Band 4 (CET-4)",
        "CBE-01",
        Decimal("3.00"),
        date(2025, 12, 13),
        (2, 9),
    ),
)

#: Seed of the pseudo-random scores, so every run produces the same results.
SCORE_SEED = 2026
