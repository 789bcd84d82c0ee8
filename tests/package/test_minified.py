"""The packaged assets are minified file by file and still behave like the sources."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from apptools.package import ROOT, package

# Imports the packaged pure modules and exercises them; prints one JSON line.
SCRIPT = """
const base = process.argv[1];
const i18n = await import(base + '/i18n.js');
const { buildSummary } = await import(base + '/summary.js');
const { requestOptions, buildBody } = await import(base + '/api.js');
await i18n.loadLocale('fr'); await i18n.loadReplyLocale('zh-CN');
const match = { learner: { id: 'L-0000123', language: 'zh', time_zone: 'Asia/Shanghai' },
  enrolments: [{ course: { title: 'Data 101' }, track: 'verified', progress_pct: 45 }],
  payments: [], subscriptions: [] };
const options = requestOptions({ backend_url: 'https://lc.example.com' }, { account: { subdomain: 'acme' } },
  { id: 7 }, buildBody({ id: 1001, requester: { email: 'a@b.c' } }));
console.log(JSON.stringify({
  refresh: i18n.translator('fr-CA')('action.refresh'),
  summary: buildSummary(match, { locale: 'zh-CN' }),
  claims: options.jwt.claims,
}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_packaged_modules_are_minified_and_still_work(tmp_path):
    problems, _ = package("lc.example.com", tmp_path / "dist")
    assert problems == []
    shipped = tmp_path / "dist" / "app" / "assets"
    source = ROOT / "zendesk-app" / "assets"
    for name in ("main.js", "format.js", "main.css", "i18n/fr.js"):
        assert (shipped / name).stat().st_size < (source / name).stat().st_size, name
    assert "// " not in (shipped / "main.js").read_text(encoding="utf-8").splitlines()[0]
    assert "请" in (shipped / "i18n" / "zh-CN.js").read_text(encoding="utf-8")  # UTF-8 kept, not \\u escapes
    run = subprocess.run(["node", "--input-type=module", "-e", SCRIPT, shipped.as_uri()],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["refresh"] == "Actualiser"
    assert out["summary"] == ("以下是我们在您的账户（L-0000123）中看到的信息：\n"
                              "- Data 101（认证）：已完成 45%\n")
    assert out["claims"] == {"iss": "https://acme.zendesk.com", "aud": "learner-context", "sub": "7",
                             "ticket_id": 1001}
