const assert = require('assert');
const pad = require('left-pad');
assert.strictEqual(pad('7', 3, '0'), '007');
console.log('web tests passed');
