#!/usr/bin/env node
'use strict';
require('../dist/runit.cjs');
