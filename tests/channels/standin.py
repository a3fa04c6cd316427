"""A local stand-in for messaging platforms' outbound APIs (Telegram, Slack, Bot Framework).

The connectors are pointed at it on 127.0.0.1, so tests can see what the assistant
sends back without the internet. Every request is recorded; replies are the minimal
successful answers each API documents.

Connectors whose client takes no other address (Messenger's Graph API, Bot Framework's
token service) reach it as their HTTPS proxy: `intercept_https` gives the environment
that makes a process send its HTTPS requests through the stand-in, which answers them
itself under certificates of a throwaway authority that only that process trusts. Such
requests are recorded with their full URL as `path` (https://graph.facebook.com/...).
"""

import datetime
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

Handler = Callable[[str, Dict[str, Any]], Tuple[int, Dict[str, Any]]]


class StandIn:
    """Records requests and answers them through handlers matched by path substring."""

    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.handlers: List[Tuple[str, Handler]] = []
        self._lock = threading.Lock()
        self._authority: Optional[_Authority] = None
        stand_in = self

        class RequestHandler(BaseHTTPRequestHandler):
            tunnel_host: Optional[str] = None  # set inside an intercepted HTTPS tunnel

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = _parse(raw, self.headers.get("Content-Type", ""))
                path = f"https://{self.tunnel_host}{self.path}" if self.tunnel_host else self.path
                with stand_in._lock:
                    stand_in.requests.append(
                        {
                            "method": self.command,
                            "path": path,
                            "headers": dict(self.headers),
                            "body": body,
                        }
                    )
                status, payload = stand_in._dispatch(path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def do_CONNECT(self) -> None:
                """Open an HTTPS tunnel and answer what comes through it (`intercept_https`)."""
                host = self.path.rsplit(":", 1)[0]
                if stand_in._authority is None:
                    self.send_error(405, "HTTPS interception is off")
                    return
                context = stand_in._authority.server_context(host)
                self.send_response(200, "Connection Established")
                self.end_headers()
                self.connection = context.wrap_socket(self.connection, server_side=True)
                self.rfile = self.connection.makefile("rb")
                self.wfile = self.connection.makefile("wb")
                self.tunnel_host = host
                self.close_connection = False  # go on with the requests inside the tunnel

            def finish(self) -> None:
                super().finish()
                if self.tunnel_host:
                    self.connection.close()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def on(self, path_part: str, handler: Handler) -> None:
        self.handlers.append((path_part, handler))

    def _dispatch(self, path: str, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        for part, handler in self.handlers:
            if part in path:
                return handler(path, body)
        return 200, {"ok": True}

    def received(self, path_part: str) -> List[Dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if path_part in r["path"]]

    def intercept_https(self, directory: Path) -> Dict[str, str]:
        """Environment for a process whose HTTPS requests this stand-in is to answer.

        The stand-in becomes the process's HTTPS proxy and its only trusted authority:
        `requests` (which Messenger's and Bot Framework's clients use) honours HTTPS_PROXY
        and REQUESTS_CA_BUNDLE. Plain-HTTP traffic (the stand-in itself, the action
        server) is untouched.
        """
        with self._lock:
            if self._authority is None:
                self._authority = _Authority(Path(directory))
        return {
            "HTTPS_PROXY": self.url,
            "https_proxy": self.url,
            "REQUESTS_CA_BUNDLE": str(self._authority.certificate_file),
        }

    def close(self) -> None:
        self.server.shutdown()


class _Authority:
    """A throwaway certificate authority issuing a certificate for each intercepted host."""

    def __init__(self, directory: Path) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sscard test stand-in CA")])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.name = name
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=7))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        self.certificate_file = self.directory / "stand-in-ca.pem"
        self.certificate_file.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))
        self._contexts: Dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    def server_context(self, host: str) -> ssl.SSLContext:
        with self._lock:
            if host not in self._contexts:
                self._contexts[host] = self._issue(host)
            return self._contexts[host]

    def _issue(self, host: str) -> ssl.SSLContext:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        chain = self.directory / f"{host}.pem"
        chain.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            + certificate.public_bytes(serialization.Encoding.PEM)
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(chain)
        return context


def _parse(raw: bytes, content_type: str) -> Dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        try:
            return json.loads(raw)
        except ValueError:
            return {"raw": raw.decode(errors="replace")}
    if "x-www-form-urlencoded" in content_type:
        from urllib.parse import parse_qsl

        return dict(parse_qsl(raw.decode()))
    if "multipart/form-data" in content_type:
        return {"multipart": raw.decode(errors="replace")}
    return {"raw": raw.decode(errors="replace")}


def wait_for(condition: Callable[[], Any], timeout: float = 15.0) -> Any:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return condition()
