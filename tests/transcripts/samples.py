"""A snapshot as ``portfolios.transcripts.snapshot.build_snapshot`` returns it, for tests that need no database."""


def sample_snapshot(*, language: str = "zh-hans", competencies: int = 3, evidence_per_competency: int = 2) -> dict:
    names = ["外贸知识", "Buyer communication", "Платформа операций", "直播带货", "Logistics and customs"]
    levels = [
        ("Beginning", "1", False),
        ("Developing", "2", False),
        ("Proficient", "3", True),
        ("Exemplary", "4", False),
    ]
    return {
        "schema": 1,
        "language": language,
        "issued_on": "2026-11-30",
        "issuer": {"name": "霍尔果斯商学院", "url": "https://kesai.example.edu.cn"},
        "student": {"name": "陈小红", "username": "2024010101", "student_number": "2024010101"},
        "programme": {"name": "跨境电子商务 Cross-border E-commerce", "code": "CBEC", "cohort": "CBEC 2024 Class 1"},
        "framework": {
            "id": 1,
            "name": "Cross-border E-commerce Competencies",
            "method": "weighted_latest",
            "method_label": "Weighted latest",
            "parameter": None,
            "scale": {
                "name": "Four-level scale",
                "levels": [
                    {"id": n, "name": name, "points": points, "mastery": mastery}
                    for n, (name, points, mastery) in enumerate(levels, start=1)
                ],
            },
        },
        "competencies": [
            {
                "id": number,
                "code": f"CBE-{number:02d}",
                "name": names[(number - 1) % len(names)],
                "description": "能够独立完成跨境电商平台的真实任务。",
                "demand_weight": 40 + (number * 7) % 60,
                "value": None if number % 5 == 0 else str(1 + (number % 4) * 0.75),
                "level": None if number % 5 == 0 else levels[number % 4][0],
                "level_id": None if number % 5 == 0 else number % 4 + 1,
                "mastery_points": "3",
                "max_points": "4",
                "mastered": number % 4 >= 3,
                "evidence": [
                    {
                        "id": number * 100 + row,
                        "done_on": f"2026-0{1 + row % 9}-1{row % 10}",
                        "source": f"虾皮杯初赛 · 商品上架 · 丝路先锋 {row}",
                        "source_kind": "competition_task",
                        "source_kind_label": "竞赛任务",
                        "url": "/competitions/shopee-cup/",
                        "score": "3",
                        "weight": "1",
                        "recorded_by": "陈静",
                    }
                    for row in range(evidence_per_competency)
                ],
            }
            for number in range(1, competencies + 1)
        ],
        "awards": [
            {"title": "虾皮杯 · 一等奖 First prize", "url": "/competitions/shopee-cup/", "done_on": "2026-05-20"}
        ],
        "certificates": [
            {
                "title": "1+X 跨境电商B2B数据运营（中级）",
                "issuer": "1+X Vocational Skill Certificate Office",
                "number": "1X-B2B-2026-0417",
                "done_on": "2026-06-27",
                "verified_by": "李华",
                "verified_on": "2026-07-02",
            }
        ],
    }
