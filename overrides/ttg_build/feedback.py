"""The reader's voice: "Something wrong or unclear on this page?" on every page, and optional
moderated comments. Both are configured once, in mkdocs.yml `extra.report` and `extra.comments`,
filled from environment variables at deploy time (see README "Reader reports and comments").

- Report: a prefilled new-issue form on a GitHub or GitLab repository, and/or a `mailto:` with
  the same content; with neither, a link to the About page's "Report a mistake" section. Nothing is
  sent until the reader follows the link, and the link says where it goes.
- Comments (off by default): giscus, loaded only when the reader asks (site.js builds the frame;
  no third-party script runs on our origin).

This step works out each page's links and puts them in its front matter (`page.meta.ttg_report`,
`page.meta.ttg_comments`) for main.html, and writes the About page's list of channels at its
<!-- report-channels --> marker. The build fails, naming mkdocs.yml and the setting, on a malformed
repository, host or address, on half-configured comments, and on Material's `repo_url`, which makes
every reader's browser ask the forge's API for repository facts.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from ttg_build.page import current
from ttg_build.problems import BuildProblem

FORGES = {"github": ("github.com", "GitHub"), "gitlab": ("gitlab.com", "GitLab")}
REPO = {"github": re.compile(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+"),
        "gitlab": re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)+")}
HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
EMAIL = re.compile(r"[^@\s<>\"',;]+@[a-z0-9-]+(\.[a-z0-9-]+)+", re.I)
COMMENT_KEYS = ("repo", "repo_id", "category", "category_id")
COMMENT_HOST = "https://giscus.app"
# Domains that are not a real deployment: no warning when they have no report channel.
NOT_PRODUCTION = re.compile(r"(^|\.)(example\.(org|com|net)|localhost|127\.0\.0\.1|test|invalid)$")
ISSUE_FORM = "report-a-problem.yml"   # .github/ISSUE_TEMPLATE/report-a-problem.yml

def _fail(setting: str, problem: str) -> BuildProblem:
    return BuildProblem(f"mkdocs.yml: extra.{setting}: {problem} (see README 'Reader reports and comments')")


def load_report(extra: dict) -> dict:
    """The report channels: forge (kind, host, repo) and/or email. Empty strings mean 'not set'."""
    report = extra.get("report") or {}
    if not isinstance(report, dict):
        raise _fail("report", "must be a mapping (forge, host, repo, email)")
    forge = str(report.get("forge") or "").strip().lower()
    repo = str(report.get("repo") or "").strip().strip("/")
    host = str(report.get("host") or "").strip().lower()
    email = str(report.get("email") or "").strip()
    out: dict = {}
    if forge or repo:
        if forge not in FORGES:
            raise _fail("report.forge", f"{forge!r} is not one of {', '.join(FORGES)} (REPORT_FORGE)")
        if not REPO[forge].fullmatch(repo):
            raise _fail("report.repo", f"{repo!r} is not a {FORGES[forge][1]} repository such as "
                                       "owner/name (REPORT_REPO)")
        host = host or FORGES[forge][0]
        if not HOST.fullmatch(host):
            raise _fail("report.host", f"{host!r} is not a host name such as {FORGES[forge][0]} (REPORT_HOST)")
        out.update(forge=forge, repo=repo, host=host)
    if email:
        if not EMAIL.fullmatch(email):
            raise _fail("report.email", f"{email!r} is not an e-mail address (REPORT_EMAIL)")
        out["email"] = email
    return out


def load_comments(extra: dict) -> dict | None:
    comments = extra.get("comments") or {}
    if not isinstance(comments, dict):
        raise _fail("comments", "must be a mapping (" + ", ".join(COMMENT_KEYS) + ")")
    values = {k: str(comments.get(k) or "").strip() for k in COMMENT_KEYS}
    if not any(values.values()):
        return None
    missing = [k for k, v in values.items() if not v]
    if missing:
        raise _fail("comments", "comments need all of " + ", ".join(COMMENT_KEYS)
                    + f"; missing: {', '.join(missing)} (GISCUS_REPO, GISCUS_REPO_ID, GISCUS_CATEGORY, "
                    "GISCUS_CATEGORY_ID)")
    if not REPO["github"].fullmatch(values["repo"]):
        raise _fail("comments.repo", f"{values['repo']!r} is not a GitHub repository such as owner/name")
    host = str(comments.get("host") or COMMENT_HOST).rstrip("/")
    if not re.fullmatch(r"https://[a-z0-9.-]+(:\d+)?", host):
        raise _fail("comments.host", f"{host!r} must be an https origin such as {COMMENT_HOST}")
    return {**values, "host": host}


def _encode(params: list[tuple[str, str]]) -> str:
    # %20 for spaces: mail programs show a '+' literally.
    return "&".join(f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in params)


def report_body(title: str, url: str) -> str:
    return (f"Page: {title}\nAddress: {url}\nSection: \n\n"
            "What is wrong or unclear?\n\n\n"
            "Which source says so? (a link, if you have one)\n\n\n"
            "Please do not include your own health details.")


def report_links(report: dict, title: str, url: str, about_url: str) -> list[dict]:
    """The links under a page: where each goes, in words, and its prefilled address."""
    subject = f"Problem on the page: {title}"
    links = []
    if report.get("forge") == "github":
        params = [("template", ISSUE_FORM), ("title", subject), ("page", url), ("section", "")]
        links.append({"kind": "github", "text": "Report it on GitHub",
                      "where": f"opens a form on {report['host']}; you need a GitHub account, and reports are public",
                      "href": f"https://{report['host']}/{report['repo']}/issues/new?{_encode(params)}"})
    elif report.get("forge") == "gitlab":
        params = [("issue[title]", subject), ("issue[description]", report_body(title, url))]
        links.append({"kind": "gitlab", "text": "Report it on GitLab",
                      "where": f"opens a form on {report['host']}; you need a GitLab account, and reports are public",
                      "href": f"https://{report['host']}/{report['repo']}/-/issues/new?{_encode(params)}"})
    if report.get("email"):
        params = [("subject", subject), ("body", report_body(title, url))]
        links.append({"kind": "email", "text": "Email the editors",
                      "where": f"opens your e-mail program, addressed to {report['email']}",
                      "href": f"mailto:{report['email']}?{_encode(params)}"})
    if not links:
        links.append({"kind": "about", "text": "How to tell us", "where": "on this site's About page",
                      "href": about_url})
    return links


CHANNELS_MARKER = re.compile(r"^<!-- report-channels -->[ \t]*$", re.M)


def channels_markdown(report: dict) -> str:
    """How to reach the people who run this copy of the site, for the About page."""
    lines = []
    if report.get("forge"):
        name = FORGES[report["forge"]][1]
        lines.append(f"- **On {name}:** open an issue at "
                     f"[{report['host']}/{report['repo']}](https://{report['host']}/{report['repo']}/issues). "
                     f"You need a free {name} account. Reports there are public.")
    if report.get("email"):
        lines.append(f"- **By e-mail:** [{report['email']}](mailto:{report['email']}).")
    if not lines:
        return ("This copy of the site has no way to send reports yet. If you reached it through "
                "a website you know, please contact the people who run that website.")
    return "\n".join(lines)




REPO_URL_PROBLEM = (
    "mkdocs.yml: repo_url is set. Material then asks the forge's API for the repository's "
    "stars and forks from every reader's browser, a request to another site. Leave repo_url "
    "out; readers reach the repository through extra.report (see README 'Reader reports and comments')")


def settings(extra: dict, repo_url: str = "") -> tuple[dict, dict | None]:
    """The checked report channels and comment settings."""
    if repo_url:
        raise BuildProblem(REPO_URL_PROBLEM)
    return load_report(extra), load_comments(extra)


def page_feedback(page) -> None:
    """The page's report links and comment settings, into its front matter for the template."""
    report, comments = settings(page.extra, page.repo_url)
    title = (page.meta or {}).get("title") or page.title or page.site_name
    about_url = page.relative_url("about/") + "#report-a-mistake"
    page.meta["ttg_report"] = report_links(report, str(title), page.canonical_url, about_url)
    if comments and (page.meta or {}).get("comments", True) is not False:
        page.meta["ttg_comments"] = {**comments, "term": "/" + page.url if page.url else "/"}
    else:
        page.meta["ttg_comments"] = None


class _FeedbackPreprocessor(Preprocessor):
    def run(self, lines):
        page = current(self.md)
        page_feedback(page)
        text = "\n".join(lines)
        if not CHANNELS_MARKER.search(text):
            return lines
        report, _ = settings(page.extra, page.repo_url)
        return CHANNELS_MARKER.sub(lambda m: channels_markdown(report), text).split("\n")


class FeedbackExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_FeedbackPreprocessor(md), "ttg_feedback", 40)


def makeExtension(**kwargs):
    return FeedbackExtension(**kwargs)
