#!/usr/bin/env python3
"""Run the hf-mem CLI against $HF_ENDPOINT.

hf-mem writes https://huggingface.co into every URL it requests and does not read
HF_ENDPOINT, so it cannot be pointed at another server by configuration. This wrapper
changes only where its HTTP client connects: URLs that start with https://huggingface.co
are rebuilt on $HF_ENDPOINT before the request is made. Its arguments, parsing and
arithmetic are hf-mem's own, unchanged.
"""
import os
import sys

import httpx2
from hf_mem.cli import main

HUB = "https://huggingface.co"
ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")
_build_request = httpx2.AsyncClient.build_request


def build_request(self, method, url, *args, **kwargs):
    text = str(url)
    if text == HUB or text.startswith(HUB + "/"):
        url = ENDPOINT + text[len(HUB):]
    return _build_request(self, method, url, *args, **kwargs)


httpx2.AsyncClient.build_request = build_request

if __name__ == "__main__":
    sys.argv[0] = "hf-mem"
    sys.exit(main())
