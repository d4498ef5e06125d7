#!/usr/bin/env node
'use strict';
require('../dist/chpst.cjs');
