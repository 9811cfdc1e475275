import { io } from "socket.io-client";

// Realtime notifications for the course dashboard (our own Node gateway, not Moodle)
const wsToken = "26c8d260f4658ccf27f74896b3e4900f";
const socket = io("https://notify.example.edu", { auth: { wsToken } });

socket.on("grade:update", (msg) => {
  if (msg.wsToken === wsToken) renderGrade(msg.payload);
});
