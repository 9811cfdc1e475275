const moodleClient = require("moodle-client");

moodleClient.init({
    wwwroot: "https://moodle.example.edu/",
    // token: "0e0ef6d8ecd9760d523bea4b6f3d9d13",
    username: "integration",
    password: process.env.MOODLE_PASSWORD,
}).then(function (client) {
    return client.call({ wsfunction: "core_webservice_get_site_info" });
}).then(function (info) {
    console.log("Hello %s, welcome to %s", info.fullname, info.sitename);
});
