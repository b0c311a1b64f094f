"""The app in a real Chromium: `streamlit run` on a free loopback port, driven by Playwright.

In the first session after the server starts (as a manager's first visit after a restart): the main page on
the sample data (saved as docs/screenshot.png), then a cp1251 CSV and an .xlsx uploaded through the page's
file input, the gauge's percentage read from the page, the .xlsx download opened, and the 1С-Бухфон page
reached by the sidebar link with the uploads still in place.
"""

from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from tests.pages.test_app_pages import _codes_between, _sample_base, _sample_log

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "screenshot.png"
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


def test_upload_gauge_download_and_pages_in_chromium(server, tmp_path):
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
            page.goto(server)

            # the first visit: the samples, said so, with the sample's share on the gauge
            gauge = page.locator(".js-plotly-plot text.number").first
            expect(gauge).to_have_text(pct_text(sample_qtd_pct()), timeout=30_000)
            expect(page.get_by_text("Демонстрационные данные:")).to_be_visible()
            assert shown_pct(gauge.text_content()) == pytest.approx(sample_qtd_pct(), abs=0.05)
            save_screenshot(page)

            # upload a cp1251 CSV and an .xlsx through the page's file input, in this first session
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([csv_path, xlsx_path])
            expect(gauge).to_have_text(pct_text(want["qtd_pct"]), timeout=30_000)
            assert shown_pct(gauge.text_content()) == pytest.approx(want["qtd_pct"], abs=0.05)
            expect(page.get_by_text("Ориентир месяца выполнен", exact=False)).to_be_visible()
            expect(page.get_by_text("Демонстрационные данные:")).to_have_count(0)
            expect(page.get_by_text(f"Найдено: {len(want['silent'])} клиентов.")).to_be_visible()

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
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="1С-Бухфон: запуски").click()
            expect(page.get_by_role("heading", name="1С-Бухфон: запуски")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Нет ни одной выгрузки 1С-Бухфон", exact=False)).to_be_visible(timeout=30_000)

            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="1С-Коннект: квартал").click()
            expect(page.locator(".js-plotly-plot text.number").first).to_have_text(pct_text(want["qtd_pct"]),
                                                                                   timeout=30_000)
            assert dialogs == []  # the client «<script>alert(1)</script>» ran nothing
        finally:
            browser.close()


def save_screenshot(page) -> None:
    """The whole main page: Streamlit scrolls inside its main block, so grow the window to fit it."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": max(900, int(height) + 40)})
    page.wait_for_timeout(2000)  # Plotly and the grid re-lay out to the new size
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
