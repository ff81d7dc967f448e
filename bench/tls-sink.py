#!/usr/bin/python3
# A counting SMTP sink that offers STARTTLS, for bench/relay-compare.sh --tls: Postfix's smtp-sink has
# no TLS, so the TLS final hop is Debian's python3-aiosmtpd (an independent implementation, Python's
# ssl module on OpenSSL). It keeps nothing: each message is counted and dropped. After every message it
# writes smtp-sink's counter line "mesg=N\r" to stdout, so the script reads both sinks the same way.
# Usage: tls-sink.py PORT CERT KEY
import asyncio
import ssl
import sys

from aiosmtpd.smtp import SMTP


class Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        sys.stdout.write(f"mesg={self.count}\r")
        sys.stdout.flush()
        return "250 2.0.0 Ok"


async def main(port, cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    counter = Counter()
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(counter, hostname="tls-sink.test", tls_context=context, require_starttls=True,
                     enable_SMTPUTF8=True, decode_data=False),
        "127.0.0.1", port, backlog=256)
    async with server:
        await server.serve_forever()


asyncio.run(main(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
