const fs = require('fs');
const pad = require('left-pad');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/index.txt', pad('shop', 8) + '\n');
console.log('built dist/index.txt');
