package main

import (
	"fmt"
	"log"

	"github.com/example/moodle"
)

func main() {
	l := log.Default()
	api := moodle.NewMoodleApi("https://moodle.example.com/moodle/", "3fa8c1f5784a006d85ae5b32c3acfc66", l)
	courses, _ := api.GetCourses("History")
	for _, c := range *courses {
		fmt.Println(c.Code)
	}
}
