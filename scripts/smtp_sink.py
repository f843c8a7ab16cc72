"""An SMTP server on loopback for the tests: it accepts every message and
appends it, decoded, as one JSON line to a file (envelope, subject, the
List-Unsubscribe headers, the plain-text and HTML parts, and the inline
images' type, content id, size and, for a PNG, its width and height). Stopping and starting it again on the same port is how the
tests take the mail server down and bring it back.

Usage: smtp_sink.py PORT OUT_FILE
"""

import asyncio
import email
import email.policy
import json
import signal
import sys

from aiosmtpd.controller import Controller


def png_size(content):
    """A PNG's width and height from its header, or None for another file."""
    if content[:8] != b"\x89PNG\r\n\x1a\n" or content[12:16] != b"IHDR":
        return None
    return [int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")]


class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {"text": None, "html": None, "images": []}
        for part in message.walk():
            kind = part.get_content_type()
            if kind == "text/plain" and parts["text"] is None:
                parts["text"] = part.get_content()
            elif kind == "text/html" and parts["html"] is None:
                parts["html"] = part.get_content()
            elif kind.startswith("image/"):
                content = part.get_content()
                parts["images"].append({"type": kind, "cid": part.get("Content-ID"),
                                        "bytes": len(content), "png_size": png_size(content)})
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "subject": str(message["Subject"]),
            "list_unsubscribe": message.get("List-Unsubscribe"),
            "list_unsubscribe_post": message.get("List-Unsubscribe-Post"),
            **parts,
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 Message accepted for delivery"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    stop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        stop.add_signal_handler(sig, stop.stop)
    stop.run_forever()
    controller.stop()


if __name__ == "__main__":
    main()
