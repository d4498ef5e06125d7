#!/usr/bin/env node
'use strict';
require('../dist/runit-init.cjs');
