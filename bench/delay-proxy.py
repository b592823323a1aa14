# A TCP proxy on loopback that adds a round trip to each request, as a bucket in another building does:
# the first bytes a client sends after a pause (> 5 ms) wait DELAY seconds; the rest of a request, and
# every response, pass at once.   python3 bench/delay-proxy.py DELAY LISTEN_PORT TARGET_PORT
import asyncio, sys, time
DELAY = float(sys.argv[1])
LISTEN, TARGET = int(sys.argv[2]), int(sys.argv[3])
async def pipe(r, w, delay):
    last = 0.0
    try:
        while True:
            data = await r.read(65536)
            if not data: break
            now = time.monotonic()
            if delay and now - last > 0.005: await asyncio.sleep(delay)  # a new request: one round trip
            last = time.monotonic()
            w.write(data); await w.drain()
    except Exception: pass
    finally:
        try: w.close()
        except Exception: pass
async def handle(cr, cw):
    sr, sw = await asyncio.open_connection('127.0.0.1', TARGET)
    await asyncio.gather(pipe(cr, sw, DELAY), pipe(sr, cw, 0))
async def main():
    s = await asyncio.start_server(handle, '127.0.0.1', LISTEN)
    async with s: await s.serve_forever()
asyncio.run(main())
