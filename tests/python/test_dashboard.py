"""The joint dashboard in a real browser: Streamlit serving the published demo marts, driven by
Playwright in Debian's headless Chromium (no browser download). The page must show the mart's
quadrant counts, a filter must change them to the filtered mart's, an account page must open
with the account's scores, and a stale source must raise the banner. Screenshots go to
build/screenshots/."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from conftest import PROJECT_DIR, Build

CHROMIUM = os.environ.get("USAGE_HEALTH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = PROJECT_DIR / "build" / "screenshots"
QUADRANTS = ["Champions", "Frustrated Power Users", "Relationship-Dependent", "Churn Risk", "Insufficient Data"]
TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def serve_db(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse published as `make build` publishes it."""
    serve = tmp_path_factory.mktemp("serve") / "usage_health.duckdb"
    completed = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "publish.py"), "--source", str(demo_build.db_path),
         "--serve", str(serve), "--no-parquet"],
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return serve


@pytest.fixture(scope="module")
def dashboard_url(serve_db: Path) -> Iterator[str]:
    """`make dashboard`, the user's command, on a free port, reading the published demo marts."""
    port = free_port()
    bin_dir = Path(sys.executable).parent
    # the child make must not inherit `make test`'s command-line variables (e.g. a serving file)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    env["USAGE_HEALTH_SERVE_DB"] = str(serve_db)
    log = open(serve_db.with_name("streamlit.log"), "w")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "-o", f"{bin_dir}/dbt", "dashboard", f"BIN={bin_dir}", f"DASHBOARD_PORT={port}"],
        cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, serve_db.with_name("streamlit.log").read_text()
            assert time.monotonic() < deadline, "streamlit did not start"
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make test` installs Debian's chromium (make browser)"

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, dashboard_url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_S * 1000)
    yield page
    context.close()


def mart(serve_db: Path, sql: str, *params: object) -> list[tuple]:
    con = duckdb.connect(str(serve_db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def expected_counts(serve_db: Path, where: str = "true", *params: object) -> dict[str, int]:
    counts = dict(mart(serve_db, f"select quadrant, count(*) from marts.rpt_account_quadrant where {where} group by quadrant", *params))
    return {q: counts.get(q, 0) for q in QUADRANTS}


def shown_counts(page) -> dict[str, int]:
    shown = {}
    for metric in page.query_selector_all('[data-testid="stMetric"]'):
        label = metric.query_selector('[data-testid="stMetricLabel"]').inner_text().strip()
        value = metric.query_selector('[data-testid="stMetricValue"]').inner_text().strip()
        shown[label] = int(value.replace(",", ""))
    return shown


def holds(condition: Callable[[], bool]) -> bool:
    """condition(), where an element replaced by a Streamlit rerun mid-read counts as not yet."""
    try:
        return condition()
    except (PlaywrightError, AttributeError, ValueError):
        return False


def page_counts(page) -> dict[str, int] | str:
    try:
        return shown_counts(page)
    except (PlaywrightError, AttributeError, ValueError) as exc:
        return f"unreadable ({exc})"


def wait_until(page, condition: Callable[[], bool], what: Callable[[], str] | str) -> None:
    """Poll the page (Streamlit reruns asynchronously after every interaction) until condition holds."""
    deadline = time.monotonic() + TIMEOUT_S
    while not holds(condition):
        assert time.monotonic() < deadline, f"timed out waiting for {what() if callable(what) else what}"
        page.wait_for_timeout(250)
    page.wait_for_timeout(300)  # let the rest of the rerun land before the screenshot


def no_errors(page) -> None:
    errors = [e.inner_text()[:800] for e in page.query_selector_all('[data-testid="stException"]')]
    assert not errors, errors


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("h1").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def open_overview(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stMetric"]')
    wait_until(page, lambda: len(page.query_selector_all('[data-testid="stMetric"]')) == len(QUADRANTS), "the quadrant counts")
    # the overview is whole when its last section, the account picker, has rendered
    page.get_by_text("Open an account").wait_for()


def choose(page, selectbox, typed: str, option: str) -> None:
    """Pick `option` in a Streamlit selectbox the way a keyboard user does: open it, type, and
    press Enter once the typing has narrowed the list to that one option. Clicking the option
    instead failed in CI: the dropdown was drawn outside the viewport (likely the page reflowing
    under it on a busy machine) and Playwright could not scroll it into view."""
    selectbox.click()
    page.keyboard.type(typed)
    options = page.get_by_role("option")
    wait_until(page, lambda: options.count() == 1 and options.first.inner_text().split() == option.split(),
               lambda: f"{typed!r} to narrow the list to {option!r}, shown {options.all_inner_texts()}")
    page.keyboard.press("Enter")


def test_the_page_shows_the_marts_quadrant_counts(page, dashboard_url: str, serve_db: Path) -> None:
    open_overview(page, dashboard_url)
    expected = expected_counts(serve_db)
    assert sum(expected.values()) >= 100
    wait_until(page, lambda: shown_counts(page) == expected, lambda: f"counts {expected}, shown {page_counts(page)}")
    no_errors(page)
    # the sections a CS leader reads, each rendered
    for heading in ("This week's quadrant moves", "CS alerts", "Top 20 accounts by ARR", "Features by quadrant"):
        assert page.get_by_text(heading, exact=True).is_visible(), heading
    assert page.query_selector('[data-testid="stVegaLiteChart"]') is not None, "no quadrant scatter"
    screenshot(page, "dashboard-overview")


def test_segment_and_csm_filters_change_the_counts(page, dashboard_url: str, serve_db: Path) -> None:
    open_overview(page, dashboard_url)
    everything = expected_counts(serve_db)
    wait_until(page, lambda: shown_counts(page) == everything, "the unfiltered counts")

    page.locator('[data-testid="stSidebar"]').get_by_text("enterprise", exact=True).click()
    enterprise = expected_counts(serve_db, "segment = ?", "enterprise")
    assert enterprise != everything and sum(enterprise.values()) >= 10
    wait_until(page, lambda: shown_counts(page) == enterprise, lambda: f"enterprise counts {enterprise}, shown {page_counts(page)}")

    csm = mart(serve_db, "select csm_owner from marts.rpt_account_quadrant where segment = 'enterprise'"
                         " and csm_owner is not null group by csm_owner order by count(*) desc, csm_owner limit 1")[0][0]
    choose(page, page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]'), csm, csm)
    both = expected_counts(serve_db, "segment = ? and csm_owner = ?", "enterprise", csm)
    assert both != enterprise
    wait_until(page, lambda: shown_counts(page) == both, lambda: f"enterprise x {csm} counts {both}, shown {page_counts(page)}")
    no_errors(page)
    screenshot(page, "dashboard-filtered")


def test_an_account_page_opens_with_its_component_scores(page, dashboard_url: str, serve_db: Path) -> None:
    columns = [c for (c,) in mart(serve_db, "select column_name from information_schema.columns where table_schema = 'marts'"
                                            " and table_name = 'rpt_account_quadrant' order by ordinal_position")]
    components = [c for c in columns if c.endswith("_score") and c not in ("usage_score", "health_score")]
    row = dict(zip(columns, mart(serve_db, "select * from marts.rpt_account_quadrant order by arr desc, account_id limit 1")[0]))
    account_id, name = row["account_id"], row["account_name"]
    history_weeks = mart(serve_db, "select count(*) from marts.fct_account_scores_weekly where account_id = ?", account_id)[0][0]
    assert len(components) >= 10 and history_weeks >= 10

    open_overview(page, dashboard_url)
    choose(page, page.locator('[data-testid="stSelectbox"]').filter(has_text="Account"), account_id, f"{name}  ·  {account_id}")

    page.wait_for_url(f"**?account={account_id}")
    page.get_by_role("heading", name=name).wait_for()
    page.get_by_text("Component scores this week").wait_for()
    wait_until(page, lambda: {"Usage score", "Health score"} <= set(shown_scores(page)), "the account's scores")
    shown = shown_scores(page)
    assert shown["Usage score"] == f"{row['usage_score']:.1f}" and shown["Health score"] == f"{row['health_score']:.1f}", shown
    status = page.get_by_text("weeks (before:").inner_text()
    assert status.startswith(f"{row['quadrant']} for {row['weeks_in_quadrant']} weeks (before: {row['previous_quadrant']})"), status
    table = {
        cells[0].inner_text().strip(): cells[1].inner_text().strip()
        for cells in (tr.query_selector_all("th, td") for tr in page.query_selector_all('[data-testid="stTable"] tbody tr'))
    }
    expected_table = {c.removesuffix("_score"): "no data" if row[c] is None else f"{row[c]:.1f}" for c in components}
    assert table == expected_table
    page.get_by_text(f"{history_weeks} scored weeks", exact=True).wait_for()
    assert page.query_selector('[data-testid="stVegaLiteChart"]') is not None, "no score history chart"
    no_errors(page)
    screenshot(page, "dashboard-account")

    page.get_by_role("button", name="← All accounts").click()
    page.get_by_text("Open an account").wait_for()
    assert "account=" not in page.url
    wait_until(page, lambda: shown_counts(page) == expected_counts(serve_db), "the overview after going back")


def shown_scores(page) -> dict[str, str]:
    return {
        m.query_selector('[data-testid="stMetricLabel"]').inner_text().strip():
            m.query_selector('[data-testid="stMetricValue"]').inner_text().strip()
        for m in page.query_selector_all('[data-testid="stMetric"]')
    }


def test_a_stale_source_raises_the_banner_after_a_new_publish(page, dashboard_url: str, serve_db: Path) -> None:
    assert mart(serve_db, "select count(*) from marts.rpt_source_freshness where is_stale")[0][0] == 0
    open_overview(page, dashboard_url)
    assert page.get_by_text("Stale data").count() == 0

    # Publish a copy in which NPS is 12 days old, the way publish.py does: a whole new file renamed over the old.
    staged = serve_db.with_name("staged.duckdb")
    shutil.copy(serve_db, staged)
    con = duckdb.connect(str(staged))
    con.execute("update marts.rpt_source_freshness set is_stale = true, record_age_days = 12 where source_name = 'nps_responses'")
    con.close()
    original = serve_db.with_name("original.duckdb")
    shutil.copy(serve_db, original)
    os.replace(staged, serve_db)
    try:
        open_overview(page, dashboard_url)
        page.get_by_text("Stale data: nps_responses (12 days)").wait_for()
        screenshot(page, "dashboard-stale-banner")
    finally:
        os.replace(original, serve_db)


# Issue 16: where a CS leader looks for the new marts.

def screenshot_at(page, name: str, heading: str) -> None:
    """A screenshot of the viewport scrolled to a section (Streamlit scrolls inside the page, so
    a full-page screenshot shows its top only)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_text(heading, exact=True).scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the tables and charts draw after the text
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

def planted_case(landing: Path, case: str) -> str:
    import csv

    with open(landing / "_truth" / "planted_cases.csv", newline="") as handle:
        return next(row["account_id"] for row in csv.DictReader(handle) if row["case"] == case)


def test_the_overview_shows_the_churn_check_ctas_playbooks_and_unknown_instances(page, dashboard_url: str, serve_db: Path) -> None:
    open_overview(page, dashboard_url)
    ratio, low, high, inside = mart(serve_db, "select churn_ratio, churn_ratio_low, churn_ratio_high, is_claim_within_interval"
                                              " from marts.rpt_churn_ratio_check where renewal_quarter = 'all'")[0]
    line = f"Frustrated Power Users churn {ratio:.2f}x as often as Champions"
    paragraph = page.locator('[data-testid="stMarkdownContainer"]', has_text=line).first
    paragraph.wait_for()
    text = paragraph.inner_text()
    assert f"95% interval {low:.2f}-{high:.2f}" in text and ("inside" if inside else "outside") in text, text
    for heading in ("Open CTAs: playbooks, owners, due dates", "Do playbooks work?", "Unknown instances to label"):
        assert page.get_by_text(heading, exact=True).is_visible(), heading
    judged, recovered, rate, weeks = mart(serve_db, "select judged_alerts, recovered_alerts, recovery_rate, recovery_weeks"
                                                    " from marts.rpt_playbook_outcomes where grouped_by = 'all'")[0]
    outcome = page.locator('[data-testid="stMarkdownContainer"]', has_text="of resolved alerts recovered within").first
    outcome.wait_for()
    assert outcome.inner_text() == f"{rate:.0%} of resolved alerts recovered within {weeks} weeks ({recovered} of {judged} judged).", outcome.inner_text()
    open_alerts = mart(serve_db, "select count(*) from marts.fct_cs_alert_history as h inner join marts.rpt_account_quadrant"
                                 " as a on h.account_id = a.account_id where h.status = 'open'")[0][0]
    page.get_by_text(f"{open_alerts} open alerts,").wait_for()
    unknown = mart(serve_db, "select count(*) from marts.rpt_unknown_instances")[0][0]
    page.get_by_text(f"{unknown} workspaces have no instance type").wait_for()
    assert shown_counts(page) == expected_counts(serve_db), "the quadrant counts are still the only metrics"
    no_errors(page)
    screenshot_at(page, "dashboard-overview-ctas", "Open CTAs: playbooks, owners, due dates")
    screenshot_at(page, "dashboard-overview-playbooks", "Do playbooks work?")


def test_the_account_page_shows_use_cases_the_license_trend_and_engagement(
    page, dashboard_url: str, serve_db: Path, demo_landing: Path
) -> None:
    account = planted_case(demo_landing, "one_use_case")
    bands = dict(mart(serve_db, "select use_case, adoption_band from marts.fct_use_case_adoption_weekly"
                                " where account_id = ? and is_latest_week", account))
    strong = [u for u, b in bands.items() if b == "green"]
    assert strong == ["Analytics"], bands
    page.goto(f"{dashboard_url}/?account={account}")
    page.get_by_text("Use-case adoption", exact=True).wait_for()
    sentence = page.locator('[data-testid="stMarkdownContainer"]', has_text="Strong in Analytics").first.inner_text()
    for use_case, band in bands.items():
        if band == "red":
            assert use_case in sentence.split("nothing in", 1)[1], sentence
    for heading in ("License utilization by month", "Engagement", "Alert history"):
        page.get_by_text(heading, exact=True).wait_for()
    months = mart(serve_db, "select count(*) from marts.fct_license_utilization_monthly where account_id = ?", account)[0][0]
    assert months >= 5
    no_errors(page)
    screenshot_at(page, "dashboard-account-use-cases", "Use-case adoption")
    screenshot_at(page, "dashboard-account-license", "License utilization by month")

    past_seats = planted_case(demo_landing, "past_seats")
    page.goto(f"{dashboard_url}/?account={past_seats}")
    page.get_by_text("Latest: past seats").wait_for()
    no_errors(page)
