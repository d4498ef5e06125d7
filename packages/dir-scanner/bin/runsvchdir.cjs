#!/usr/bin/env node
'use strict';
require('../dist/runsvchdir.cjs');
