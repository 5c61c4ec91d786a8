-- CreateTable
CREATE TABLE "Standing" (
    "roundId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "correctCount" INTEGER NOT NULL,
    "questionCount" INTEGER NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "closedAt" DATETIME NOT NULL,
    "prediction" INTEGER,
    "attemptCount" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("roundId", "userId")
);

-- CreateIndex
CREATE INDEX "Standing_roundId_correctCount_durationMs_closedAt_idx" ON "Standing"("roundId", "correctCount" DESC, "durationMs", "closedAt");

-- CreateIndex
CREATE INDEX "Standing_roundId_communeCode_correctCount_durationMs_closedAt_idx" ON "Standing"("roundId", "communeCode", "correctCount" DESC, "durationMs", "closedAt");

-- CreateIndex
CREATE INDEX "Standing_roundId_group_correctCount_durationMs_closedAt_idx" ON "Standing"("roundId", "group", "correctCount" DESC, "durationMs", "closedAt");
