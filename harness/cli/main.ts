#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
console.error("kapi-conform: placeholder");
