#!/usr/bin/env node
'use strict';
require('../dist/runsvdir.cjs');
