#!/usr/bin/env python3
"""A small server whose deployment mistakes `wasmdev check` must find: it serves a directory
with exact types and the isolation headers, then breaks one thing on purpose (MODE):
  good             nothing broken
  wasm-text-plain  .wasm sent as text/plain
  worker-no-coep   worker.js without Cross-Origin-Embedder-Policy
  coop-doubled     Cross-Origin-Opener-Policy sent twice (same-origin, same-origin)
  cors             nothing broken; Access-Control-Allow-Origin echoes a request's Origin (only
                   when it has one, as many CDNs do), for pages that load from another origin
Binds 127.0.0.1 port 0 and prints "serving http://127.0.0.1:PORT/" once listening.
Usage: check_server.py ROOT MODE"""
import http.server
import os
import sys

ROOT, MODE = sys.argv[1], sys.argv[2]
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
         ".wasm": "application/wasm", ".data": "application/octet-stream"}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, with_body):
        path = self.path.split("?", 1)[0]
        if path.endswith("/"):
            path += "index.html"
        file = os.path.realpath(os.path.join(ROOT, path.lstrip("/")))
        if not file.startswith(os.path.realpath(ROOT) + os.sep) or not os.path.isfile(file):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = open(file, "rb").read()
        ext = os.path.splitext(file)[1]
        self.send_response(200)
        content_type = TYPES.get(ext, "application/octet-stream")
        if MODE == "wasm-text-plain" and ext == ".wasm":
            content_type = "text/plain"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        if MODE == "coop-doubled":
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        if not (MODE == "worker-no-coep" and os.path.basename(file) == "worker.js"):
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        if MODE == "cors" and self.headers.get("Origin"):
            self.send_header("Access-Control-Allow-Origin", self.headers["Origin"])
            self.send_header("Vary", "Origin")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"serving http://127.0.0.1:{server.server_address[1]}/", flush=True)
server.serve_forever()
