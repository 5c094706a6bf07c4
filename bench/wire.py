"""A counting TCP relay on the loopback: the bytes a browser really receives, split into HTTP and websocket.

The browser talks to the relay, the relay to the server. Bytes from server to browser are counted
per connection as they cross (compressed as on the wire: permessage-deflate, gzip); a connection
whose request asks for ``Upgrade: websocket`` counts as websocket, every other one as HTTP.
"""

from __future__ import annotations

import asyncio
import threading


class WireCounter:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.http = 0
        self.ws = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def reset(self) -> None:
        self.http = 0
        self.ws = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._server = server
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        kind = {"ws": False}

        async def client_to_server() -> None:
            first = True
            while data := await reader.read(65536):
                if first:
                    kind["ws"] = b"upgrade: websocket" in data.lower()
                    first = False
                up_writer.write(data)
                await up_writer.drain()
            up_writer.close()

        async def server_to_client() -> None:
            while data := await up_reader.read(65536):
                if kind["ws"]:
                    self.ws += len(data)
                else:
                    self.http += len(data)
                writer.write(data)
                await writer.drain()
            writer.close()

        try:
            await asyncio.gather(client_to_server(), server_to_client())
        except (ConnectionError, OSError):
            pass
        finally:
            for w in (writer, up_writer):
                w.close()

    def close(self) -> None:
        """Stop accepting; the relay's thread (a daemon) ends with the benchmark."""
        self._loop.call_soon_threadsafe(self._server.close)
