#!/usr/bin/env node
'use strict';
require('../dist/utmpset.cjs');
