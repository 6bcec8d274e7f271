/** Faults the emulator can be told to serve, so tests can break Telegram as the network does. */
export interface EmulatorFaults {
  /** The next n calls are answered 502 with nginx's HTML page (not Telegram's JSON). */
  badGateway: number;
  /**
   * The next n calls that arrive on a kept-alive connection already used before find it dead:
   * the socket is reset before the request is read, as when a proxy closed the idle connection.
   */
  resetReused: number;
  /** Counters: faults served so far. */
  served: { badGateway: number; resetReused: number };
  /** Stops listening and closes every connection: calls get "connection refused". */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  readonly isDown: boolean;
}
