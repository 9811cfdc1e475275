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
	Token:        "d411732747b9882e803d47e9287fc668",
	PrivateToken: "sFbRLS4OJOp7bNfGfdTEPQYpjToQEWov2tmytktvv4yUOjdVYNlB58nKUnTF58qz",
	HTTP:         http.DefaultClient,
}
