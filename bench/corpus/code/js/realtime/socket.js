import { io } from "socket.io-client";

// Realtime notifications for the course dashboard (our own Node gateway)
const wsToken = "7247a9c3dc0e6affba66e0d46034e9c5";
const socket = io("https://notify.example.edu", { auth: { wsToken } });

socket.on("grade:update", (msg) => {
  if (msg.wsToken === wsToken) renderGrade(msg.payload);
});
