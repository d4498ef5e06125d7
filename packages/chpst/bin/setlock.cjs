#!/usr/bin/env node
'use strict';
// chpst decides what to do from argv[0]'s basename (setlock).
require('../dist/chpst.cjs');
