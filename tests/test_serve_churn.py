"""`statuspress serve` under churn: files rewritten while pages are requested (127.0.0.1 only).

Every response must be a whole page of one build (HTTP 200, ends with </html>), every link on
it must resolve, builds only move forward, and the server must survive it all.
"""

from __future__ import annotations

import random
import re
import threading
import time
import urllib.parse
from pathlib import Path

from check_support import make_corpus
from serve_support import get, serving

ROOT = Path(__file__).resolve().parent.parent
SEED = 7
REWRITES = 40
PERIOD = 0.25  # 40 rewrites in about 10 s
HREF = re.compile(rb'href="([^"#]+)')


def test_pages_stay_whole_while_files_change(tmp_path: Path) -> None:
    content = make_corpus(40, 2, tmp_path)
    files = sorted(content.glob("incidents/*/*.md"))[-6:]
    originals = {f: f.read_text() for f in files}
    rng = random.Random(SEED)
    problems: list[str] = []
    seen_builds: list[int] = []
    checked = {"pages": 0, "links": 0}
    stop = threading.Event()

    def client(base: str) -> None:
        queue = [base, base + "history/index.html", base + "uptime/index.html"]
        last_build = 0
        while not stop.is_set():
            url = queue[checked["pages"] % len(queue)]
            status, headers, body = get(url)
            checked["pages"] += 1
            if status != 200 or not body.rstrip().endswith(b"</html>"):
                problems.append(f"{url}: {status}, ends with {body[-40:]!r}")
                continue
            build = int(headers.get("X-Statuspress-Build", "0"))
            if build < last_build:
                problems.append(f"{url}: build {build} after build {last_build}")
            last_build = build
            seen_builds.append(build)
            links = [urllib.parse.urljoin(url, h.decode()) for h in HREF.findall(body)]
            local = [u for u in links if u.startswith(base)]
            for link in rng.sample(local, min(8, len(local))):
                status, _, linked = get(link)
                checked["links"] += 1
                if status != 200 or not linked:
                    problems.append(f"{url} links to {link}: {status}")
                elif link.split("?")[0].endswith((".html", "/")) and not linked.rstrip().endswith(
                    b"</html>"
                ):
                    problems.append(f"{link}: incomplete page")
                if link.endswith("index.html") and "/incidents/" in link and link not in queue:
                    queue.append(link)

    with serving(content, tmp_path / "site", "--public-only") as served:
        threads = [threading.Thread(target=client, args=(served.public,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        try:
            for n in range(REWRITES):
                target = rng.choice(files)
                text = originals[target]
                if n % 10 == 9:  # now and then a broken file, fixed by the next rewrite
                    target.write_text(text.replace("title:", "title: [unclosed", 1))
                else:
                    target.write_text(
                        re.sub(r"(?m)^title: .*$", f"title: Rewrite {n}", text, count=1)
                    )
                time.sleep(PERIOD)
        finally:
            for f, text in originals.items():
                f.write_text(text)
            time.sleep(1.0)
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        assert served.proc.poll() is None, "the server died"
        status, _, body = get(served.public + "__statuspress/status")
        assert status == 200 and b'"ok": true' in body
    log = "\n".join(served.log)
    assert "Traceback" not in log, log
    assert problems == [], problems[:10]
    assert checked["pages"] >= 20 and checked["links"] >= 50, checked
    assert len(set(seen_builds)) >= 3, "the pages never saw the rebuilds"
