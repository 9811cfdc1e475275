// Sessions of the Moodle bridge, listed on the account page.
export interface BridgeSession {
  sid: string; // md5 hash of the session token; shown to the user, cannot log in
  createdAt: string;
  userAgent: string | null;
}

export const sampleSessions: BridgeSession[] = [
  {
    sid: "f1c96e006391dbb3751d6d6cabca7906", // md5 of the token
    createdAt: "2025-10-02T08:15:00Z",
    userAgent: "MoodleMobile 4.4.0 (44000)",
  },
];
