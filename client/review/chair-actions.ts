/** What the chair can do; the page sends each as a chair:* request. */
export interface ChairActions {
  admit(peerId: string): void;
  refuse(peerId: string): void;
  mute(peerId: string): void;
  remove(peerId: string): void;
  start(): void;
  end(): void;
}
