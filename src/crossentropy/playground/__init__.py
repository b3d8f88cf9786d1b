"""``xent playground``: the course's sliders and playground in the browser.

A local web server (the standard library's ``ThreadingHTTPServer``) answers a small
JSON API and serves one page, written in plain HTML, CSS and JavaScript and shipped
with the package: no CDN, no build step, no request leaves the computer.  The page
draws and sends inputs; every number on it (losses, gradient steps, exact fits and
their standard errors, measures, Huffman codes, likelihoods) is computed by this
library.  Five rooms: a line through the blood-pressure data by hand, the learning
rate, classification by hand (the TensorFlow Playground with cross-entropy),
information measures with Huffman codes, and the likelihood of a die.

Requests are stateless: each carries what it needs (weights, data set, seed, step
count), so two tabs never disturb each other and the same requests replay a run
exactly.

>>> from crossentropy.playground import make_server
>>> server = make_server(port=0)
>>> server.url.startswith("http://127.0.0.1:")
True
>>> server.server_close()
"""

from ._server import PlaygroundServer, make_server, serve

__all__ = ["PlaygroundServer", "make_server", "serve"]
