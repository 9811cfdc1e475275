#!/usr/bin/env python3
"""Detection benchmark: precision and recall of moodleleaks on a labelled corpus of
realistic Moodle code, config, logs and documentation.

Every file is generated from a template with synthetic random credentials, and the
generator records what a perfect scanner must report (path, kind, secret). Hard negatives
(checksums in lock files and manifests, git SHAs, UUIDs, colours, placeholders, generic
tokens without Moodle context) are mixed in. Deterministic for a seed.

Usage: bench/detection.py [--bin PATH] [--files N] [--seed N] [--min 0.99] [--keep DIR]
Exits 1 when precision or recall is below --min (CI uses it as a quality gate).
"""
import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def hex(self, n=32):
        while True:
            v = "%0*x" % (n, self.r.getrandbits(4 * n))
            if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
                return v

    def alnum(self, n=64):
        a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self.r.choice(a) for _ in range(n))

    def site(self):
        host = self.r.choice(["lms", "moodle", "learn", "campus", "elearning"])
        dom = self.r.choice(["example.edu", "example.org", "uni.example", "school.example.com"])
        path = self.r.choice(["", "", "/moodle", "/lms"])
        return f"https://{host}.{dom}{path}"

    def word(self):
        return self.r.choice(["course", "user", "grade", "enrol", "quiz", "forum", "sync", "report"])


def positives(g):
    """(filename, text, [(kind, secret)]) templates that hold real credentials."""
    t, t2, s = g.hex(), g.hex(), g.site()
    p = g.alnum()
    fn = g.r.choice(["core_user_get_users", "core_course_get_courses", "core_enrol_get_enrolled_users"])
    sid = g.hex()
    full = base64.b64encode(f"{sid}:::{t}:::{p}".encode()).decode()
    short = base64.urlsafe_b64encode(f"{sid}:::{t}".encode()).decode()
    launch_url, launch_kinds = g.r.choice([
        (full, [("privatetoken", p)]),
        (full.rstrip("="), [("privatetoken", p)]),
        (full.replace("=", "%3D"), [("privatetoken", p)]),
        (short.rstrip("="), []),
        (short, []),
    ])
    pw = g.r.choice(["Winter2024!", "s3cr3t-Pa55", "moodle%23Admin1", "Tr0ub4dor%263", g.alnum(12)])
    items = [
        ("deploy/check_{w}.sh", f"#!/bin/sh\ncurl -s -X POST {s}/webservice/rest/server.php \\\n  -d wstoken={t} \\\n  -d wsfunction={fn} -d moodlewsrestformat=json\n", [("wstoken", t)]),
        ("{w}/.env", f"APP_ENV=production\nMOODLE_URL={s}\nMOODLE_TOKEN={t}\n", [("wstoken", t)]),
        ("{w}/.env.local", f"MOODLE_WSTOKEN=\"{t}\"\n", [("wstoken", t)]),
        ("{w}/sync.py", f"import requests\n\nMOODLE = '{s}'\nTOKEN = '{t}'\n\ndef call(fn, **kw):\n    return requests.post(MOODLE + '/webservice/rest/server.php', data=dict(wstoken=TOKEN, wsfunction=fn, moodlewsrestformat='json', **kw)).json()\n", [("wstoken", t)]),
        ("{w}/client.js", f"const baseUrl = '{s}';\nconst moodleToken = '{t}';\nexport async function siteInfo() {{\n  return fetch(`${{baseUrl}}/webservice/rest/server.php`, {{ method: 'POST', body: new URLSearchParams({{ wstoken: moodleToken, wsfunction: 'core_webservice_get_site_info' }}) }});\n}}\n", [("wstoken", t)]),
        ("{w}/config.php", f"<?php\n$config = [\n    'moodle_url' => '{s}',\n    'ws_token' => '{t}',\n];\n", [("wstoken", t)]),
        ("{w}/settings.yml", f"moodle:\n  url: {s}\n  token: {t}\n  timeout: 30\n", [("wstoken", t)]),
        ("{w}/app.config", f"<configuration>\n  <appSettings>\n    <add key=\"MoodleUrl\" value=\"{s}\" />\n    <add key=\"MoodleToken\" value=\"{t}\" />\n  </appSettings>\n</configuration>\n", [("wstoken", t)]),
        ("{w}/application.properties", f"moodle.url={s}\nmoodle.ws.token={t}\n", [("wstoken", t)]),
        ("{w}/Client.java", f"public class MoodleClient {{\n    private static final String BASE = \"{s}/webservice/rest/server.php\";\n    private static final String TOKEN = \"{t}\";\n}}\n", [("wstoken", t)]),
        ("{w}/main.go", f"package main\n\nfunc main() {{\n\tmoodleToken := \"{t}\"\n\t_ = moodleToken\n}}\n", [("wstoken", t)]),
        ("{w}/docker-compose.yml", f"services:\n  sync:\n    image: acme/sync\n    environment:\n      - MOODLE_URL={s}\n      - MOODLE_TOKEN={t}\n", [("wstoken", t)]),
        ("logs/access_{w}.log", f"10.0.0.7 - - [01/Mar/2025:10:00:00 +0000] \"GET /webservice/rest/server.php?wstoken={t}&wsfunction={fn}&moodlewsrestformat=json HTTP/1.1\" 200 512\n", [("wstoken", t), ("hygiene", t)]),
        ("docs/{w}_files.md", f"![avatar]({s}/webservice/pluginfile.php/5/user/icon/f1?token={t})\n", [("wstoken", t)]),
        ("docs/{w}_img.html", f"<img src=\"{s}/tokenpluginfile.php/{t}/5/user/icon/f1\">\n", [("userkey", t)]),
        ("fixtures/{w}_site_info.json", json.dumps({"sitename": "Campus", "username": "svc", "userid": 3, "siteurl": s, "userprivateaccesskey": t, "userissiteadmin": False}) + "\n", [("userkey", t)]),
        ("fixtures/{w}_login.json", json.dumps({"token": t, "privatetoken": p}) + "\n", [("wstoken", t), ("privatetoken", p)]),
        ("docs/{w}_app.md", f"Open the app: [launch]({g.r.choice(['moodlemobile', 'acmecampus'])}://token={launch_url})\n",
         # The payload and the password are reported as the app and Moodle read them.
         [("mobile-launch", urllib.parse.unquote(launch_url)), ("wstoken", t)] + launch_kinds),
        ("scripts/{w}_login.sh", f"curl '{s}/login/token.php?username=svc_sync&password={pw}&service=moodle_mobile_app'\n", [("password-in-url", urllib.parse.unquote_plus(pw))]),
        ("{w}/soap.xml", f"<soap:address location=\"{s}/webservice/soap/server.php?wsdl=1&amp;wstoken={t}\"/>\n", [("wstoken", t), ("hygiene", t)]),
        ("{w}/moodle_sync.py", f"from moodle import Moodle\n\nmoodle = Moodle('{s}/webservice/rest/server.php', '{t}')\nsite_info = moodle('core_webservice_get_site_info')\n", [("wstoken", t)]),
        ("{w}/Sync.php", f"<?php\n$url = '{s}';\n$api = new MoodleRest($url . '/webservice/rest/server.php', '{t}');\n", [("wstoken", t)]),
        ("backup/{w}_moodle.sql", f"-- MySQL dump\nINSERT INTO `mdl_files` VALUES (5,'{g.hex(40)}','{g.hex(40)}',1,'user','draft');\nINSERT INTO `mdl_user_password_resets` VALUES (1,2,1700000000,0,'{g.hex()}');\nINSERT INTO `mdl_external_tokens` VALUES (1,'{t}',NULL,0,2,1,NULL,1,2,NULL,0,1700000000,NULL,'Webservice-abcde'),(2,'{t2}',NULL,0,3,1,NULL,1,2,NULL,0,1700000001,NULL,'Webservice-fghij');\n", [("wstoken", t), ("wstoken", t2)]),
        # `wsToken` alone is also a websocket token (see bench/corpus/ neg-socketio-wstoken):
        # a Dart client names its Moodle site in the same file.
        ("{w}/wsclient.dart", f"class Api {{\n  static const String site = '{s}/webservice/rest/server.php';\n  static const String wsToken = '{t}';\n}}\n", [("wstoken", t)]),
        ("{w}/values.yaml", f"moodle:\n  host: {s}\n  apikey: \"{t}\"\n", [("wstoken", t)]),
        ("{w}/postman_collection.json", json.dumps({"info": {"name": "Moodle API"}, "item": [{"request": {"url": s + "/webservice/rest/server.php", "body": {"mode": "urlencoded", "urlencoded": [{"key": "wstoken", "value": t}, {"key": "wsfunction", "value": fn}]}}}]}, indent=2) + "\n", [("wstoken", t)]),
    ]
    return items


def negatives(g):
    """Files that must stay silent."""
    h = g.hex
    return [
        ("package-lock.json", json.dumps({"name": "app", "lockfileVersion": 3, "packages": {f"node_modules/{g.word()}": {"version": "1.0.0", "resolved": "https://registry.example/x.tgz", "integrity": "sha512-" + base64.b64encode(bytes.fromhex(h(64) + h(64))).decode()}}}, indent=2) + "\n"),
        ("composer.lock", json.dumps({"packages": [{"name": "moodle/x", "dist": {"type": "zip", "shasum": h(40), "reference": h(40)}}]}, indent=2) + "\n"),
        ("checksums.md5", f"{h()}  moodle-4.5.tgz\n{h()}  moodle-4.4.tgz\n"),
        ("yarn.lock", f"\"{g.word()}@^1.0.0\":\n  version \"1.0.0\"\n  resolved \"https://registry.example/x.tgz#{h(40)}\"\n  integrity sha1-{base64.b64encode(bytes.fromhex(h(40))).decode()}\n"),
        ("CHANGELOG.md", f"## Moodle sync\n- Fix token refresh ({h(40)})\n- Merge {h(7)}\n"),
        ("theme/style.scss", f"// moodle theme\n$brand: #{h(6)};\n$accent: #{h(6)};\n$table: #{h(3)} #{h(6)} #{h(8)};\n"),
        ("db/ids.php", f"<?php // moodle\n$uuid = '{h(8)}-{h(4)}-{h(4)}-{h(4)}-{h(12)}';\n$contenthash = '{h(40)}';\n$etag = '{h()}';\n"),
        ("README.md", "Configure MOODLE_TOKEN=YOUR_TOKEN_HERE (wstoken=<token>) or use `${MOODLE_TOKEN}`.\n"),
        (".github/workflows/sync.yml", "env:\n  MOODLE_TOKEN: ${{ secrets.MOODLE_TOKEN }}\n  MOODLE_URL: https://lms.example.edu\n"),
        ("{w}/settings.py", "import os\nmoodle_token = os.environ[\"MOODLE_TOKEN\"]\nWSTOKEN = os.getenv('WSTOKEN')\n"),
        ("{w}/placeholder.env", "MOODLE_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nMOODLE_WSTOKEN=00000000000000000000000000000000\n"),
        ("{w}/other_service.py", f"# Unrelated API\nAPI_TOKEN = '{h()}'\nheaders = {{'Authorization': 'Bearer ' + API_TOKEN}}\n"),
        ("{w}/test_md5.php", f"<?php // moodle unit test\n$this->assertEquals('{h()}', md5('abc'));\n$checksum = '{h()}';\n"),
        ("docs/{w}_login.md", "Call `/login/token.php?username=USER&password=PASSWORD&service=moodle_mobile_app`, or with `password={password}` or `password=$PASS`.\n"),
        ("local/{w}/version.php", f"<?php\n$plugin->component = 'local_{g.word()}';\n$plugin->version = 2024100700;\n$plugin->hash = '{h()}';\n"),
        ("{w}/cache.json", json.dumps({"moodle": True, "cachekey": h(), "revision": h(40), "md5": h()}) + "\n"),
        ("docs/{w}_http.md", "Locally: curl http://localhost:8080/webservice/rest/server.php -d wstoken=... or http://127.0.0.1/moodle/webservice/rest/server.php\n"),
        ("Cargo.lock", f"[[package]]\nname = \"x\"\nversion = \"0.1.0\"\nchecksum = \"{h(64)}\"\n"),
        ("{w}/launch.md", "moodlemobile://token=" + base64.b64encode(b"this is not a launch payload at all").decode() + "\n"),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "debug", "moodleleaks"))
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min", type=float, default=0.0)
    ap.add_argument("--keep")
    a = ap.parse_args()
    g = Gen(a.seed)
    tmp = a.keep or tempfile.mkdtemp(prefix="moodleleaks-detection-")
    os.makedirs(tmp, exist_ok=True)
    expected = set()
    n = 0
    while n < a.files:
        pool = positives(g) if g.r.random() < 0.6 else [(p, t, []) for p, t in negatives(g)]
        name, text, labels = g.r.choice(pool)
        rel = f"r{n // 100:03d}/" + name.replace("{w}", f"{g.word()}{n}")
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.exists(path):
            continue
        with open(path, "w") as f:
            f.write(text)
        for kind, secret in labels:
            expected.add((rel, kind, secret))
        n += 1
    out = subprocess.run([a.bin, "scan", "--format", "json", "--show-secrets", "--no-ignore", tmp],
                         capture_output=True)
    if out.returncode not in (0, 1):
        sys.exit(f"scan failed: {out.stderr.decode()}")
    found = {(f["path"], f["kind"], f["secret"]) for f in json.loads(out.stdout)["findings"]}
    tp = len(found & expected)
    fp = sorted(found - expected)
    fn = sorted(expected - found)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(expected) if expected else 1.0
    print(f"corpus: {a.files} files, {len(expected)} labelled credentials; found {len(found)}")
    print(f"precision {precision:.4f}  recall {recall:.4f}  (tp {tp}, fp {len(fp)}, fn {len(fn)})")
    for x in fp[:10]:
        print("  false positive:", x[0], x[1], x[2][:6] + "…")
    for x in fn[:10]:
        print("  missed:        ", x[0], x[1], x[2][:6] + "…")
    if not a.keep:
        shutil.rmtree(tmp)
    if precision < a.min or recall < a.min:
        sys.exit(1)


if __name__ == "__main__":
    main()
