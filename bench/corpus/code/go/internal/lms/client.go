package lms

import "net/http"

type MoodleClient struct {
	ServiceURL   string
	Token        string
	PrivateToken string
	HTTP         *http.Client
}

var Default = &MoodleClient{
	ServiceURL:   "https://moodle.example.edu",
	Token:        "76a5eac79d54a27db31b3e73caa013a9",
	PrivateToken: "ob0dfACCtoRYTEX98zGZ9RseM2TdkhfxdVakLAGqYRo0esAOtfSFlr00RkN4Fz9M",
	HTTP:         http.DefaultClient,
}
