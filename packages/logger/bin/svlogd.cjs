#!/usr/bin/env node
'use strict';
require('../dist/svlogd.cjs');
