/** Shapes the deal functions return (mirrors src/core/deal; cards cannot import core). */
export interface ValidateReply {
  message: string;
}

export interface ApplyReply {
  contractId: string;
  customerId: string;
  alreadyApplied: boolean;
}

export interface UpgradeDealReply {
  dealId: string;
  dealName: string;
  /** An open up/downgrade deal existed already and is returned instead of a new one. */
  reused: boolean;
}
