#!/usr/bin/env python3
"""Runs schemathesis (from PyPI) with every check against the two OpenAPI documents the server
generates: the sync API (with a real device token, paired as the office would) and the
storefront's /api/v1. Starts the server binary given as the first argument on a fresh SQLite
directory. Exits non-zero on any failure."""
import html, os, re, socket, subprocess, sys, tempfile, time, urllib.parse, urllib.request, json
from http.cookiejar import CookieJar

server_bin = sys.argv[1]
workdir = tempfile.mkdtemp(prefix="ocop-st-")
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
base = f"http://127.0.0.1:{port}"
env = dict(os.environ, BIND_ADDR=f"127.0.0.1:{port}", DATA_DIR=workdir, RUST_LOG="warn", OCOP_TODAY="2026-11-28")
env.pop("DATABASE_URL", None)
env.pop("MEILI_URL", None)
server = subprocess.Popen([server_bin], env=env, stdout=subprocess.DEVNULL)
try:
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{base}/readyz", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    else:
        sys.exit("the server did not start")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def post(path, fields):
        req = urllib.request.Request(base + path, data=urllib.parse.urlencode(fields).encode(),
                                     headers={"sec-fetch-site": "same-origin"})
        try:
            return opener.open(req).read().decode()
        except urllib.error.HTTPError as e:
            return e.read().decode()

    post("/account/sign-in", {"login": "vanphong@ocop.local", "password": "ocop-demo-2026"})
    page = opener.open(base + "/office/showrooms").read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    post("/office/showrooms", {"csrf": csrf, "code": "SR-ST", "name": "Điểm bán kiểm thử"})
    page = opener.open(base + "/office/showrooms").read().decode()
    showroom = re.search(r'/office/showrooms/(\d+)/devices', page).group(1)
    page = post(f"/office/showrooms/{showroom}/devices", {"csrf": csrf, "name": "Quầy 1"})
    code = html.unescape(re.search(r'id="pairing-code"[^>]*>([^<]+)<', page).group(1)).strip()
    req = urllib.request.Request(base + "/sync/v1/pair", data=json.dumps({"code": code}).encode(),
                                 headers={"content-type": "application/json"})
    token = json.loads(urllib.request.urlopen(req).read())["token"]

    failed = False
    for doc, extra in [("/sync/v1/openapi.json", ["-H", f"Authorization: Bearer {token}"]),
                       ("/api/v1/openapi.json", [])]:
        print(f"\n=== schemathesis: {doc}", flush=True)
        run = subprocess.run(["schemathesis", "run", base + doc, "--checks", "all", "--workers", "2",
                              "--max-examples", os.environ.get("ST_MAX_EXAMPLES", "60"), "--no-color"] + extra)
        failed |= run.returncode != 0
    sys.exit(1 if failed else 0)
finally:
    server.terminate()
    server.wait()
