#!/usr/bin/env node
'use strict';
require('../dist/runsv.cjs');
