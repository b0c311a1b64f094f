"""The app in a real Chromium: `streamlit run` on a free loopback port, driven by Playwright.

All in the first session after the server starts (as a manager's first visit after a restart), which
begins with a deep link: ``/history`` renders that page with the shared sidebar; the uploader speaks
Russian. Then the main page on the sample data (saved as a screenshot only when ``KPI_SCREENSHOT`` names
a file, e.g. ``KPI_SCREENSHOT=docs/screenshot.png``: a test run never rewrites tracked files), a cp1251 CSV
and an .xlsx uploaded through the page's file input, the gauge's percentage read from the page, the .xlsx
download opened, the 1С-Бухфон page reached by the sidebar link with the uploads still in place. Last, back
to the samples and a new upload: an ITS contract report, a log and a PBX call history — the base comes from
the report, the gauge from a hand count, the sidebar's month follows the files, and a warning names the
PBX file.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from tests.fixtures.shapes import ClientId, LogRow, connect_log_csv, its_contracts_xlsx, its_demo, pbx_calls
from tests.pages.test_app_pages import _codes_between, _sample_base, _sample_log

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
#: Where to save the main page's screenshot; unset (the default): no screenshot.
SCREENSHOT_ENV = "KPI_SCREENSHOT"
NBSP = "\u00a0"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's /usr/bin/chromium is not installed "
                                                     "(apt-get install -y chromium)"),
]


# ---- the uploads, with their expected figures -----------------------------------------------------

#: 20 clients of type «Клиенты 1С» and 3 others, one of them named like a script.
ONES = [(f"B{i:02d}", f"ООО Браузер {i}", f"55000000{i:02d}") for i in range(1, 21)]
OTHERS = [("O1", "ООО Прочее", "5600000001"), ("O2", "ИП Другой", "5600000002"),
          ("O3", "<script>alert(1)</script>", "5600000003")]
NOV = {"B01", "B02", "B03", "B04", "B05", "O1"}  # «Коммуникации в отчетном месяце» = Да
OCT = {"B01", "B06", "B07", "B08"}  # «-1 месяце»
SEP = {"B09", "B10", "O2"}  # «-2 месяце»


def expected() -> dict[str, object]:
    ones = {code for code, _n, _i in ONES}
    qtd = (NOV | OCT) & ones
    return {"qtd_pct": 100 * len(qtd) / len(ones), "silent": sorted(ones - NOV)}


def base_csv() -> bytes:
    """The ITS client list as Russian Excel saves it: cp1251, «;», a title line above the header."""
    lines = ["Клиенты ИТС по состоянию на 01.10.2026", "",
             "Код клиента;Клиент;ИНН;Тип клиента;Ответственный"]
    lines += [f"{c};{n};{i};Клиенты 1С;Иванова Е.А." for c, n, i in ONES]
    lines += [f"{c};{n};{i};Прочие клиенты;" for c, n, i in OTHERS]
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def stats_xlsx() -> bytes:
    """«Статистика использования 1С-Коннект (по клиентам)» for November 2026, flags Да/Нет."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Отчет"
    ws.append(["Статистика использования 1С-Коннект (по клиентам)"])
    ws.append(["Период: Ноябрь 2026 г."])
    ws.append([])
    ws.append(["Клиент", "ИНН", "Код клиента", "Тип клиента", "Коммуникации в отчетном месяце",
               "Коммуникации в -1 месяце", "Коммуникации в -2 месяце"])
    yes = {True: "Да", False: "Нет"}
    for (code, name, inn), kind in [*((c, "Клиенты 1С") for c in ONES), *((c, "Прочие клиенты") for c in OTHERS)]:
        ws.append([name, inn, code, kind, yes[code in NOV], yes[code in OCT], yes[code in SEP]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def its_upload(tmp_path: Path) -> tuple[list[Path], dict[str, object]]:
    """An ITS contract report (report date 07.11.2022, base 7 by hand), a log of November 2022 and a PBX
    call history; the log reaches three base clients — one only through an additional регномер."""
    rows, facts = its_demo()
    log = [LogRow(datetime(2022, 11, 1 + i, 10, 0, 0), client) for i, client in enumerate([
        ClientId("ООО «Тест-Альфа»", inn="7700000001"),
        ClientId("ООО «Тест-Бета»", inn="0105000002"),
        ClientId("ООО «Тест-Тета»", regnum="200000000091"),  # the report's «Дополнительные регномера»
    ])]
    files = {"договоры_итс.xlsx": its_contracts_xlsx(rows), "журнал_ноябрь.csv": connect_log_csv(log),
             "звонки_атс.csv": pbx_calls("csv")}
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    return paths, {"base": facts.base, "qtd_pct": 100 * 3 / facts.base, "pbx": "звонки_атс.csv"}


def sample_qtd_pct() -> float:
    """The sample quarter to date (Oct–Nov 2026), 1C clients of the base list, counted with pandas."""
    base = _sample_base()
    ones = set(base.loc[base["Тип клиента"] == "Клиенты 1С", "Код клиента"])
    return 100 * len(_codes_between(_sample_log(), "2026-10-01", "2026-12-01") & ones) / len(ones)


def shown_pct(text: str) -> float:
    """«40,0 %» (as Plotly draws it, any space) → 40.0."""
    m = re.fullmatch(r"\s*(\d+(?:,\d+)?)\s*%\s*", text.replace(NBSP, " "))
    assert m, f"not a percentage: {text!r}"
    return float(m.group(1).replace(",", "."))


def pct_text(x: float) -> str:
    return f"{x:.1f}".replace(".", ",") + NBSP + "%"


# ---- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"streamlit did not start:\n{out}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# ---- the test -------------------------------------------------------------------------------------


def test_deep_link_uploads_gauge_download_pages_and_its_report_in_chromium(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    csv_path = tmp_path / "клиенты_итс.csv"
    csv_path.write_bytes(base_csv())
    xlsx_path = tmp_path / "статистика_2026-11.xlsx"
    xlsx_path.write_bytes(stats_xlsx())
    want = expected()

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        try:
            context = browser.new_context(accept_downloads=True, viewport={"width": 1440, "height": 900},
                                          locale="ru-RU")
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

            # a deep link as the very first request after the start: the page, with the shared sidebar
            page.goto(f"{server}/history")
            expect(page.get_by_role("heading", name="История")).to_be_visible(timeout=30_000)
            sidebar = page.locator('[data-testid="stSidebar"]')
            expect(sidebar.locator('[data-testid="stFileUploader"]')).to_have_count(1, timeout=30_000)
            expect(sidebar.get_by_text("Демонстрационные данные.", exact=False)).to_be_visible()
            check_uploader_is_russian(page)

            # the main page by the sidebar link: the samples, said so, with the sample's share on the gauge
            nav(page, "1С-Коннект: квартал")
            gauge = page.locator(".js-plotly-plot text.number").first
            expect(gauge).to_have_text(pct_text(sample_qtd_pct()), timeout=30_000)
            expect(page.get_by_text("Демонстрационные данные:")).to_be_visible()
            assert shown_pct(gauge.text_content()) == pytest.approx(sample_qtd_pct(), abs=0.05)
            expect(month_box(page)).to_have_value("Из файлов: ноябрь 2026")
            save_screenshot(page)

            # upload a cp1251 CSV and an .xlsx through the page's file input, in this first session
            file_input(page).set_input_files([csv_path, xlsx_path])
            expect(gauge).to_have_text(pct_text(want["qtd_pct"]), timeout=30_000)
            assert shown_pct(gauge.text_content()) == pytest.approx(want["qtd_pct"], abs=0.05)
            expect(page.get_by_text("Ориентир месяца выполнен", exact=False)).to_be_visible()
            expect(page.get_by_text("Демонстрационные данные:")).to_have_count(0)
            expect(page.get_by_text(f"Найдено: {len(want['silent'])} клиентов.")).to_be_visible()
            expect(page.locator('[data-testid="stFileChipName"]')).to_have_count(2)
            expect(page.locator('[data-testid="stFileChipName"] + div').first).to_be_hidden()  # «6.0KB»

            # the .xlsx download holds the filtered list
            with page.expect_download(timeout=30_000) as info:
                page.get_by_role("button", name="Скачать .xlsx").click()
            download = info.value
            assert download.suggested_filename == "молчащие_клиенты_2026-Q4_ноябрь.xlsx"
            saved = tmp_path / "download.xlsx"
            download.save_as(saved)
            rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
            header_at = next(i for i, r in enumerate(rows) if "Код клиента" in r)
            code = rows[header_at].index("Код клиента")
            assert sorted(r[code] for r in rows[header_at + 1:]) == want["silent"]

            # the sidebar link to 1С-Бухфон: same session, the uploads (no 1С-Бухфон export) still in place
            nav(page, "1С-Бухфон: запуски")
            expect(page.get_by_role("heading", name="1С-Бухфон: запуски")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Нет ни одной выгрузки 1С-Бухфон", exact=False)).to_be_visible(timeout=30_000)
            nav(page, "1С-Коннект: квартал")
            expect(page.locator(".js-plotly-plot text.number").first).to_have_text(pct_text(want["qtd_pct"]),
                                                                                   timeout=30_000)

            # back to the samples, then an ITS contract report, a log and a PBX call history
            page.get_by_role("button", name="Вернуться к демонстрационным данным").click()
            expect(page.get_by_text("Демонстрационные данные:")).to_be_visible(timeout=30_000)
            # a fresh uploader replaces the old one; until the run ends, the old one may still be drawn
            expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(1, timeout=30_000)
            expect(page.locator('[data-testid="stFileChipName"]')).to_have_count(0)
            paths, its = its_upload(tmp_path)
            file_input(page).set_input_files(paths)
            expect(page.get_by_text("Демонстрационные данные:")).to_have_count(0, timeout=30_000)
            base_line = page.get_by_text(f"База: {its['base']} клиентов", exact=False)
            expect(base_line).to_be_visible(timeout=30_000)
            expect(base_line).to_contain_text("по отчёту по договорам ИТС")
            expect(gauge).to_have_text(pct_text(its["qtd_pct"]), timeout=30_000)
            expect(month_box(page)).to_have_value("Из файлов: ноябрь 2022")  # the month follows the files
            warning = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text=str(its["pbx"]))
            expect(warning.first).to_be_visible()
            expect(warning.first).to_contain_text("АТС")
            nav(page, "Данные")
            expect(page.get_by_text(f"{its['pbx']} — отложен", exact=False)).to_be_visible(timeout=30_000)
            assert dialogs == []  # the client «<script>alert(1)</script>» ran nothing
        finally:
            browser.close()


def nav(page, title: str) -> None:
    """Change pages as a person does: the sidebar link (a fresh URL would open a new session)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()


def file_input(page):
    return page.locator('[data-testid="stFileUploader"] input[type="file"]')


def month_box(page):
    """The sidebar's «Отчетный месяц» box (the text the person sees in it)."""
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Отчетный месяц").locator("input")


def check_uploader_is_russian(page) -> None:
    """Streamlit draws the uploader in English; the app's CSS shows Russian words in their place."""
    from playwright.sync_api import expect

    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    expect(zone.get_by_text("Upload", exact=True)).to_be_hidden()
    expect(zone.get_by_text("per file", exact=False)).to_be_hidden()
    expect(zone.get_by_text("Drag and drop", exact=False)).to_have_count(0)
    button = zone.locator('button [data-testid="stMarkdownContainer"]')
    assert after_text(button) == "Выбрать файлы"
    limit = after_text(zone.locator('[data-testid="stFileUploaderDropzoneInstructions"] > div'))
    assert limit.startswith("До 200 МБ на файл") and "XLSX" in limit, limit


def after_text(locator) -> str:
    """The text a CSS ``::after`` draws (what a person reads; not part of the page's DOM text)."""
    content = locator.first.evaluate("e => getComputedStyle(e, '::after').content")
    return content.strip('"')


def save_screenshot(page) -> None:
    """The whole main page, only when ``$KPI_SCREENSHOT`` names a file (a test run never rewrites tracked
    files). Streamlit scrolls inside its main block, so the window grows to fit it."""
    target = os.environ.get(SCREENSHOT_ENV, "").strip()
    if not target:
        return
    path = Path(target) if Path(target).is_absolute() else ROOT / target
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": max(900, int(height) + 40)})
    page.wait_for_timeout(2000)  # Plotly and the grid re-lay out to the new size
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
