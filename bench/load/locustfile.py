"""The mixed workload of the load test: visitors browsing, students editing and downloading, judges scoring.

Run through bench/load/run.py, which starts gunicorn and passes the plan (``KESAI_LOAD_PLAN``) that
bench/load/prepare.py wrote. Each simulated person waits 1–3 s between steps, as a person reading a page would.

The site runs with the production settings, which mark cookies Secure and expect TLS at the reverse proxy. As a
proxy would, every request says ``X-Forwarded-Proto: https`` and carries a same-site Referer (Django's CSRF check
wants one on secure requests); the cookies the site sets are kept without their Secure flag so that the HTTP
client sends them back over plain HTTP.

Request names group the URLs per page kind (``student: portfolio``), so the figures come out per page.
"""

import json
import os
import random
import re
from html.parser import HTMLParser
from itertools import count

import gevent
from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["KESAI_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
NEXT_STUDENT = count()
NEXT_JUDGE = count()
CONFLICT = "changed this score while you were editing"
#: Seconds after the last user has started before the figures start: long enough for every log-in to finish (a
#: password hash is slow on purpose, and 50 of them at once keep two cores busy for several seconds).
SETTLE_SECONDS = int(os.environ.get("KESAI_LOAD_SETTLE_SECONDS", "20"))


@events.init.add_listener
def measure_once_everyone_is_in(environment, **kwargs) -> None:
    def on_spawning_complete(user_count: int) -> None:
        def reset_after_settling() -> None:
            gevent.sleep(SETTLE_SECONDS)
            environment.stats.reset_all()
            print(f"every user is in: the figures count from now on ({user_count} users)")

        gevent.spawn(reset_after_settling)

    environment.events.spawning_complete.add_listener(on_spawning_complete)


class Forms(HTMLParser):
    """The fields of every form on a page, in order: what a browser would send for each."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.inside = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_value: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = True
            self.forms.append([])
        if not self.inside:
            return
        fields, name, kind = self.forms[-1], attributes.get("name"), attributes.get("type")
        if tag == "input" and name and kind not in ("submit", "button", "file", "checkbox", "radio"):
            fields.append((name, attributes.get("value") or ""))
        elif tag == "input" and name and kind in ("checkbox", "radio") and "checked" in attributes:
            fields.append((name, attributes.get("value") or "on"))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select and ("selected" in attributes or self._select_value is None):
            self._select_value = attributes.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            name, value = self.forms[-1][-1]
            self.forms[-1][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.forms[-1].append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str, field: str) -> list[tuple[str, str]]:
    """The fields of the first form that has a field named ``field`` (the page's own form, not the header's)."""
    parser = Forms()
    parser.feed(html)
    return next(form for form in parser.forms if any(name == field for name, _ in form))


def keep_for_reading(name: str, fields: list[tuple[str, str]], html: str) -> None:
    """The first refused form of each kind, with what was sent, for whoever reads the run's failures."""
    folder = os.path.join(os.path.dirname(os.environ["KESAI_LOAD_PLAN"]), "refused-forms")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, re.sub(r"[^a-z0-9]+", "-", name.lower()) + ".html")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as file:
            file.write(f"<!-- sent: {json.dumps(fields, ensure_ascii=False)} -->\n{html}")


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.site = self.host.replace("http://", "https://", 1)  # what the browser sees, behind the proxy
        self.client.headers.update({"X-Forwarded-Proto": "https", "Referer": f"{self.site}/"})

    def keep_cookies(self) -> None:
        """Copy the cookies the site set into plain (not Secure) ones, so they go back over HTTP."""
        for cookie in list(self.client.cookies):
            if cookie.secure:
                self.client.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path)

    def get(self, url: str, name: str):
        response = self.client.get(url, name=name)
        self.keep_cookies()
        return response

    def post_form(self, page_url: str, name: str, changes: dict[str, str], page_html: str = ""):
        """Send the page's form (the one holding the first field of ``changes``) back with ``changes``, as a person
        pressing Save would. The page is opened first unless its HTML is given."""
        html = page_html or self.get(page_url, name=f"{name} (form)").text
        fields = [(key, changes.pop(key, value)) for key, value in form_fields(html, next(iter(changes)))]
        fields += list(changes.items())
        with self.client.post(
            page_url, data=fields, name=name, headers={"Referer": f"{self.site}{page_url}"}, catch_response=True
        ) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code}")
            elif CONFLICT in response.text:
                response.success()  # two people scoring as one judge: the second is told, nothing is lost
            elif "errorlist" in response.text or "error-message" in response.text:
                response.failure("the form came back with errors")
                keep_for_reading(name, fields, response.text)
        self.keep_cookies()

    def log_in(self, username: str) -> None:
        self.post_form("/admin/login/", "log in", {"username": username, "password": PLAN["password"]})


class Visitor(Person):
    """Someone from outside: the course and competition pages, the verification page."""

    weight = 3

    @task(4)
    def course_or_competition(self):
        kind = random.choice(list(PLAN["public"]))
        self.get(random.choice(PLAN["public"][kind]), name=f"public: {kind}")

    @task(1)
    def home_or_index(self):
        self.get(random.choice(PLAN["home_and_indexes"]), name="public: home and index pages")

    @task(1)
    def verification_page(self):
        self.get("/transcripts/verify/", name="public: verification page")


class Student(Person):
    """A student: the portfolio, their attainment, an edit of their reflection, their transcript's PDF."""

    weight = 5

    def on_start(self) -> None:
        super().on_start()
        self.me = PLAN["students"][next(NEXT_STUDENT) % len(PLAN["students"])]
        self.log_in(self.me["username"])

    @task(4)
    def portfolio(self):
        self.get("/portfolio/", name="student: portfolio")

    @task(2)
    def competencies(self):
        self.get("/me/competencies/", name="student: my competencies")

    @task(2)
    def artefact(self):
        self.get(f"/portfolio/artefacts/{self.me['artefact']}/", name="student: artefact")

    @task(1)
    def edit_reflection(self):
        url = f"/portfolio/artefacts/{self.me['artefact']}/edit/"
        body = f"<p>Revised after the contest, draft {random.randint(1, 10**6)}.</p>"
        self.post_form(url, "student: save artefact", {"body": body})

    @task(1)
    def transcripts(self):
        self.get("/transcripts/", name="student: my transcripts")
        self.get(f"/transcripts/{self.me['transcript']}/", name="student: transcript page")

    @task(2)
    def transcript_pdf(self):
        with self.client.get(
            f"/transcripts/{self.me['transcript']}/pdf/", name="student: transcript PDF", catch_response=True
        ) as response:
            if not response.content.startswith(b"%PDF"):
                response.failure("not a PDF")


class Judge(Person):
    """A judge: the queue, an entry, a score changed and saved."""

    weight = 2

    def on_start(self) -> None:
        super().on_start()
        self.me = PLAN["judges"][next(NEXT_JUDGE) % len(PLAN["judges"])]
        self.log_in(self.me["username"])

    @task(3)
    def queue(self):
        self.get("/judging/", name="judge: queue")

    @task(3)
    def entry(self):
        self.get(f"/judging/assignments/{random.choice(self.me['assignments'])}/", name="judge: scoring form")

    @task(2)
    def score(self):
        url = f"/judging/assignments/{random.choice(self.me['assignments'])}/"
        page = self.get(url, name="judge: scoring form")
        points = {
            key: str(random.randint(0, int(float(maximum))))
            for key, maximum in re.findall(r'name="([^"]+-points)"[^>]*max="([0-9.]+)"', page.text)
        }
        if points:
            self.post_form(url, "judge: save scores", points, page_html=page.text)
