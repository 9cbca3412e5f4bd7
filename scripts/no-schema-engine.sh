#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded offline; see scripts/prisma-generate.mjs.
exit 1
