"""uvicorn's HTTP/1.1 (h11) protocol with a time limit on reading a request's line and headers.

API: :func:`protocol_class` ``(header_timeout) -> type`` (give it to ``uvicorn.run(http=...)``).

uvicorn closes a connection that stays idle after an answer (``timeout_keep_alive``)
and refuses requests above ``limit_concurrency``, but in h11 mode it waits forever
for the headers of a request that has begun: a client sending a byte now and then,
or connecting and sending nothing, holds its connection (and a file descriptor)
for good, and a few thousand such clients exhaust the server. Here a timer starts
when a connection opens and again when an answer is complete, and stops when a
request's headers have all arrived; when it fires first, the client is told ``408``
(if it had begun a request) and the connection is closed.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MESSAGE = b"the request's headers did not arrive in time\n"
TIMEOUT_ANSWER = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
                  b"content-length: %d\r\n\r\n%s" % (len(MESSAGE), MESSAGE))


class HeaderTimeoutProtocol(H11Protocol):
    header_timeout = 10.0  # set by :func:`protocol_class`
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the headers are in: the body and the answer have their own limits
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:  # waiting for the next request
            self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._expired)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _expired(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.conn.trailing_data[0]:  # part of a request arrived: say why it is dropped
            self.transport.write(TIMEOUT_ANSWER)
        self.transport.close()


def protocol_class(header_timeout: float) -> type:
    """:class:`HeaderTimeoutProtocol` with ``header_timeout`` seconds for the headers."""
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": float(header_timeout)})
