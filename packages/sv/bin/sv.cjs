#!/usr/bin/env node
'use strict';
require('../dist/sv.cjs');
