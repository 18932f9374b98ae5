"""A real SMTP listener on a free local port that can go silent: it accepts connections and says
nothing (no greeting) until `answer()`; then it speaks just enough SMTP to take mail."""

from __future__ import annotations

import email
import socket
import threading
from email.message import Message


class SilentSMTPServer:
    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port: int = self._socket.getsockname()[1]
        self.messages: list[Message] = []
        self.connections = 0
        self._answering = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> SilentSMTPServer:
        thread = threading.Thread(target=self._accept, name="silent-smtp", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(5)
        self._socket.close()

    def answer(self) -> None:
        """From now on, greet and take mail (held connections too)."""
        self._answering.set()

    def outbox_ids(self) -> list[str]:
        with self._lock:
            return [m["X-Treffpunkt-Outbox"] for m in self.messages]

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _address = self._socket.accept()
            except TimeoutError:
                continue
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            # Silent: the client waits for a greeting that does not come (or until it gives up).
            while not self._answering.wait(0.1):
                if self._stopping.is_set():
                    return
            conn.settimeout(10)
            reader = conn.makefile("rb")
            try:
                conn.sendall(b"220 silent.test ESMTP\r\n")
                self._dialogue(conn, reader)
            except OSError:
                return  # the client gave up (timed out) and closed the connection

    def _dialogue(self, conn: socket.socket, reader) -> None:  # type: ignore[no-untyped-def]
        while line := reader.readline():
            command = line.decode("ascii", "replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                conn.sendall(b"250-silent.test\r\n250 8BITMIME\r\n")
            elif command == "DATA":
                conn.sendall(b"354 go ahead\r\n")
                data = b""
                while (chunk := reader.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                with self._lock:
                    self.messages.append(email.message_from_bytes(data))
                conn.sendall(b"250 queued\r\n")
            elif command == "QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:  # MAIL FROM, RCPT TO, RSET, NOOP
                conn.sendall(b"250 ok\r\n")
