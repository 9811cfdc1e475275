// Express dashboard shipped beside our Moodle plugin
const express = require('express');
const app = express();
app.use(require('helmet')());
app.use(require('compression')());
app.use(require('morgan')('tiny'));

module.exports = {
  session: {
    name: 'dash.sid',
    token: 'fc9a813afe220e1afba6964c7dfdb55a',
    maxAge: 86400,
  },
};
