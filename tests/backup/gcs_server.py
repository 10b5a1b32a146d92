#!/usr/bin/env python3
"""A loopback stand-in for Google Cloud Storage, for the backup tests.

It serves the part of the GCS JSON API that hparams and Google's own clients use to write and
read small objects: media, multipart and resumable uploads (with ifGenerationMatch), object
metadata (md5Hash, crc32c, generation), downloads (with x-goog-hash), bucket metadata, object
listing and deletion. It also serves an OAuth token endpoint (RS256 JWT bearer grants checked
against the service account's public key, refresh-token grants checked against the configured
client) and a GCE metadata server token endpoint (Metadata-Flavor: Google required).

Object requests need a bearer token it issued (or the static one given with --static-token),
unless --emulator is given. POST /_control sets faults: {"fail": N, "status": 503} fails the
next N object requests, {"drop": N} sends half of the next N download bodies then closes the
connection, {"endless": N} answers the next N downloads with a chunked body that never ends
(until the client goes away), {"always_fail": true}; GET /_stats returns request counts.

usage: gcs_server.py --port-file FILE [--public-key PEM] [--client ID:SECRET:REFRESH]
                     [--static-token TOKEN] [--emulator]
"""
import argparse
import base64
import binascii
import hashlib
import json
import re
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
OBJECTS = {}  # (bucket, name) -> {"data": bytes, "generation": int, "contentType": str}
TOKENS = set()
UPLOADS = {}  # upload id -> (bucket, name, content type, if_generation_match)
FAULTS = {"fail": 0, "status": 503, "drop": 0, "endless": 0, "always_fail": False}
STATS = {"object_requests": 0, "failed": 0, "dropped": 0, "endless": 0, "tokens_issued": 0, "jwt_verified": 0,
         "refresh_grants": 0, "metadata_grants": 0, "unauthorized": 0}
GENERATION = [1700000000000000]
ARGS = None


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def b64(raw):
    return base64.b64encode(raw).decode()


def resource(bucket, name, obj, host="127.0.0.1"):
    data = obj["data"]
    quoted = urllib.parse.quote(name, safe="")
    return {
        "mediaLink": f"http://{host}/download/storage/v1/b/{bucket}/o/{quoted}"
                     f"?generation={obj['generation']}&alt=media",
        "kind": "storage#object",
        "id": f"{bucket}/{name}/{obj['generation']}",
        "selfLink": f"http://{host}/storage/v1/b/{bucket}/o/{quoted}",
        "name": name,
        "bucket": bucket,
        "generation": str(obj["generation"]),
        "metageneration": "1",
        "contentType": obj["contentType"],
        "size": str(len(data)),
        "md5Hash": b64(hashlib.md5(data).digest()),
        "crc32c": b64(crc32c(data).to_bytes(4, "big")),
        "etag": b64(hashlib.md5(data).digest()),
        "timeCreated": "2026-01-01T00:00:00.000Z",
        "updated": "2026-01-01T00:00:00.000Z",
        "storageClass": "STANDARD",
    }


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_rs256(message, signature):
    try:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
    except ImportError:  # no python3-cryptography: the openssl command verifies
        import subprocess
        import tempfile
        with tempfile.NamedTemporaryFile() as m, tempfile.NamedTemporaryFile() as s:
            m.write(message)
            s.write(signature)
            m.flush()
            s.flush()
            subprocess.run(["openssl", "dgst", "-sha256", "-verify", ARGS.public_key,
                            "-signature", s.name, m.name], check=True, capture_output=True)
        return
    with open(ARGS.public_key, "rb") as f:
        key = serialization.load_pem_public_key(f.read())
    key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())


def verify_jwt(assertion):
    header, claims, signature = assertion.split(".")
    verify_rs256(f"{header}.{claims}".encode(), b64url_decode(signature))
    h = json.loads(b64url_decode(header))
    c = json.loads(b64url_decode(claims))
    now = time.time()
    assert h["alg"] == "RS256", "alg"
    assert c["aud"].endswith("/token"), "aud"
    assert "devstorage" in c["scope"], "scope"
    assert c["iat"] <= now + 60 and c["exp"] > now and c["exp"] - c["iat"] <= 3600, "times"
    return c["iss"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/json", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, message):
        self.reply(status, {"error": {"code": status, "message": message}})

    def body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def token(self):
        access = secrets.token_urlsafe(24)
        with LOCK:
            TOKENS.add(access)
            STATS["tokens_issued"] += 1
        self.reply(200, {"access_token": access, "expires_in": 3599, "token_type": "Bearer"})

    # -- auth endpoints --------------------------------------------------------------------

    def handle_token(self):
        form = urllib.parse.parse_qs(self.body().decode())
        grant = form.get("grant_type", [""])[0]
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            try:
                verify_jwt(form["assertion"][0])
            except Exception as e:  # noqa: BLE001 - any failure is a refused grant
                return self.reply(400, {"error": "invalid_grant",
                                        "error_description": f"bad JWT: {type(e).__name__} {e}"})
            with LOCK:
                STATS["jwt_verified"] += 1
            return self.token()
        if grant == "refresh_token":
            client_id, secret, refresh = ARGS.client.split(":")
            if (form.get("client_id", [""])[0], form.get("client_secret", [""])[0],
                    form.get("refresh_token", [""])[0]) != (client_id, secret, refresh):
                return self.reply(400, {"error": "invalid_grant",
                                        "error_description": "bad refresh token"})
            with LOCK:
                STATS["refresh_grants"] += 1
            return self.token()
        return self.reply(400, {"error": "unsupported_grant_type"})

    def handle_metadata(self):
        if self.headers.get("Metadata-Flavor") != "Google":
            return self.reply(403, b"Missing Metadata-Flavor:Google header", "text/plain")
        with LOCK:
            STATS["metadata_grants"] += 1
        return self.token()

    def authorized(self):
        if ARGS.emulator:
            return True
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else None
        with LOCK:
            ok = token is not None and (token in TOKENS or token == ARGS.static_token)
            if not ok:
                STATS["unauthorized"] += 1
        if not ok:
            self.error(401, "Invalid Credentials")
        return ok

    def fault(self):
        with LOCK:
            STATS["object_requests"] += 1
            if FAULTS["always_fail"] or FAULTS["fail"] > 0:
                if not FAULTS["always_fail"]:
                    FAULTS["fail"] -= 1
                STATS["failed"] += 1
                status = FAULTS["status"]
            else:
                return False
        self.error(status, "Backend Error (injected)")
        return True

    # -- the JSON API ----------------------------------------------------------------------

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        parts = [urllib.parse.unquote(p) for p in url.path.split("/")]
        return url.path, parts, query

    def do_GET(self):
        path, parts, query = self.route()
        if path == "/_stats":
            with LOCK:
                return self.reply(200, dict(STATS))
        if path == "/computeMetadata/v1/instance/service-accounts/default/token":
            return self.handle_metadata()
        if not self.authorized() or self.fault():
            return
        # /storage/v1/b/{bucket}[/o[/{object}]] and /download/storage/v1/b/{bucket}/o/{object}
        if parts[1] == "download":
            parts = parts[1:]
            query["alt"] = "media"
        if len(parts) >= 5 and parts[1:4] == ["storage", "v1", "b"]:
            bucket = parts[4]
            if len(parts) == 5:
                return self.reply(200, {"kind": "storage#bucket", "name": bucket, "id": bucket,
                                        "location": "US", "storageClass": "STANDARD"})
            if len(parts) == 6 and parts[5] == "o":
                prefix = query.get("prefix", "")
                delimiter = query.get("delimiter", "")
                items, prefixes = [], set()
                with LOCK:
                    for (b, n), o in sorted(OBJECTS.items()):
                        if b != bucket or not n.startswith(prefix):
                            continue
                        rest = n[len(prefix):]
                        if delimiter and delimiter in rest:
                            prefixes.add(prefix + rest[: rest.index(delimiter) + len(delimiter)])
                        else:
                            items.append(resource(b, n, o, self.headers.get("Host")))
                listing = {"kind": "storage#objects", "items": items}
                if prefixes:
                    listing["prefixes"] = sorted(prefixes)
                return self.reply(200, listing)
            if len(parts) >= 7 and parts[5] == "o":
                name = "/".join(parts[6:])
                with LOCK:
                    obj = OBJECTS.get((bucket, name))
                if obj is None:
                    return self.error(404, f"No such object: {bucket}/{name}")
                if query.get("alt") == "media":
                    data = obj["data"]
                    headers = {"x-goog-hash": "crc32c=%s,md5=%s" % (
                        b64(crc32c(data).to_bytes(4, "big")), b64(hashlib.md5(data).digest())),
                        "x-goog-generation": str(obj["generation"])}
                    with LOCK:
                        drop = FAULTS["drop"] > 0
                        if drop:
                            FAULTS["drop"] -= 1
                            STATS["dropped"] += 1
                        endless = not drop and FAULTS["endless"] > 0
                        if endless:
                            FAULTS["endless"] -= 1
                            STATS["endless"] += 1
                    if endless:
                        self.send_response(200)
                        self.send_header("Content-Type", obj["contentType"])
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        chunk = b"x" * 65536
                        try:
                            while True:
                                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        except OSError:
                            pass
                        self.close_connection = True
                        return
                    if drop:
                        self.send_response(200)
                        self.send_header("Content-Type", obj["contentType"])
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data[: len(data) // 2])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    return self.reply(200, data, obj["contentType"], headers)
                return self.reply(200, resource(bucket, name, obj, self.headers.get("Host")))
        return self.error(404, f"Not found: {path}")

    def store(self, bucket, name, data, content_type, if_generation_match):
        with LOCK:
            current = OBJECTS.get((bucket, name))
            if if_generation_match is not None:
                expected = int(if_generation_match)
                actual = current["generation"] if current else 0
                if expected != actual:
                    return None
            GENERATION[0] += 1
            obj = {"data": data, "generation": GENERATION[0], "contentType": content_type}
            OBJECTS[(bucket, name)] = obj
            return resource(bucket, name, obj, self.headers.get("Host"))

    def do_POST(self):
        path, parts, query = self.route()
        if path == "/token":
            return self.handle_token()
        if path == "/_control":
            change = json.loads(self.body() or b"{}")
            with LOCK:
                FAULTS.update(change)
            return self.reply(200, dict(FAULTS))
        body = self.body()
        if not self.authorized() or self.fault():
            return
        if len(parts) == 7 and parts[1:5] == ["upload", "storage", "v1", "b"] and parts[6] == "o":
            bucket = parts[5]
            kind = query.get("uploadType", "media")
            match = query.get("ifGenerationMatch")
            if kind == "media":
                name = query.get("name")
                content_type = self.headers.get("Content-Type", "application/octet-stream")
                data = body
            elif kind == "multipart":
                name, content_type, data = self.multipart(body, query)
            elif kind == "resumable":
                meta = json.loads(body or b"{}")
                name = query.get("name") or meta.get("name")
                upload = secrets.token_hex(8)
                with LOCK:
                    UPLOADS[upload] = (bucket, name, meta.get("contentType") or
                                       self.headers.get("X-Upload-Content-Type") or
                                       "application/octet-stream", match)
                host = self.headers.get("Host")
                location = f"http://{host}/upload/storage/v1/b/{bucket}/o?uploadType=resumable&upload_id={upload}"
                return self.reply(200, b"", "text/plain", {"Location": location})
            else:
                return self.error(400, f"uploadType {kind} is not supported")
            if not name:
                return self.error(400, "Required parameter: name")
            result = self.store(bucket, name, data, content_type, match)
            if result is None:
                return self.error(412, "At least one of the pre-conditions you specified did not hold.")
            return self.reply(200, result)
        return self.error(404, f"Not found: {path}")

    def do_PUT(self):
        path, parts, query = self.route()
        body = self.body()
        if not self.authorized() or self.fault():
            return
        upload = query.get("upload_id")
        with LOCK:
            pending = UPLOADS.pop(upload, None)
        if pending is None:
            return self.error(404, "No such upload")
        bucket, name, content_type, match = pending
        result = self.store(bucket, name, body, content_type, match)
        if result is None:
            return self.error(412, "At least one of the pre-conditions you specified did not hold.")
        return self.reply(200, result)

    def do_DELETE(self):
        path, parts, query = self.route()
        if not self.authorized() or self.fault():
            return
        if len(parts) >= 7 and parts[1:4] == ["storage", "v1", "b"] and parts[5] == "o":
            with LOCK:
                gone = OBJECTS.pop((parts[4], "/".join(parts[6:])), None)
            if gone is None:
                return self.error(404, "No such object")
            return self.reply(204)
        return self.error(404, f"Not found: {path}")

    def multipart(self, body, query):
        # multipart/related: the object's JSON metadata, then its bytes. The line break before
        # each delimiter belongs to the delimiter (RFC 2046), whether CRLF or a bare LF.
        content_type = self.headers.get("Content-Type", "")
        match = re.search(r"boundary=(?:\"([^\"]*)\"|'([^']*)'|([^;\s]+))", content_type)
        boundary = next(g for g in match.groups() if g is not None).encode()
        sections = body.split(b"--" + boundary)[1:]
        parts = []
        for section in sections:
            if section.startswith(b"--"):
                break
            section = section[2:] if section.startswith(b"\r\n") else section[1:]
            if section.endswith(b"\r\n"):
                section = section[:-2]
            elif section.endswith(b"\n"):
                section = section[:-1]
            for separator in (b"\r\n\r\n", b"\n\n"):
                head, found, payload = section.partition(separator)
                if found:
                    break
            headers = {}
            for line in head.replace(b"\r\n", b"\n").split(b"\n"):
                key, _, value = line.partition(b":")
                headers[key.strip().lower().decode()] = value.strip().decode()
            parts.append((headers, payload))
        meta = json.loads(parts[0][1] or b"{}") if parts else {}
        data = parts[1][1] if len(parts) > 1 else b""
        media_type = parts[1][0].get("content-type", "application/octet-stream") if len(parts) > 1 else ""
        return query.get("name") or meta.get("name"), meta.get("contentType", media_type), data

def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--public-key")
    parser.add_argument("--client", default="client-id:client-secret:refresh-token")
    parser.add_argument("--static-token")
    parser.add_argument("--emulator", action="store_true")
    ARGS = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(ARGS.port_file + ".tmp", ARGS.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
