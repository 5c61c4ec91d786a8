-- AlterTable
ALTER TABLE "Answer" ADD COLUMN "ip" TEXT;

-- AlterTable
ALTER TABLE "Attempt" ADD COLUMN "flagsCheckedAt" DATETIME;
ALTER TABLE "Attempt" ADD COLUMN "reviewedAt" DATETIME;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "registrationDevice" TEXT;
ALTER TABLE "User" ADD COLUMN "registrationIp" TEXT;

-- CreateTable
CREATE TABLE "Flag" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roundId" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'open',
    "reviewedById" TEXT,
    "reviewedAt" DATETIME,
    "reviewReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Flag_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Round" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contestId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "opensAt" DATETIME NOT NULL,
    "closesAt" DATETIME NOT NULL,
    "durationSeconds" INTEGER NOT NULL,
    "questionCount" INTEGER NOT NULL,
    "maxAttempts" INTEGER NOT NULL DEFAULT 1,
    "bankId" TEXT NOT NULL,
    "topicCounts" TEXT NOT NULL DEFAULT '{}',
    "difficultyCounts" TEXT NOT NULL DEFAULT '{}',
    "eligibleGroups" TEXT NOT NULL DEFAULT 'official,citizen,student,business',
    "groupBanks" TEXT NOT NULL DEFAULT '{}',
    "prediction" BOOLEAN NOT NULL DEFAULT true,
    "tieBreak" TEXT NOT NULL DEFAULT 'prediction,duration,submittedAt',
    "attemptPolicy" TEXT NOT NULL DEFAULT 'best',
    "revealAnswers" TEXT NOT NULL DEFAULT 'after_close',
    "flagRules" TEXT NOT NULL DEFAULT '{}',
    "publishedAt" DATETIME,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Round_contestId_fkey" FOREIGN KEY ("contestId") REFERENCES "Contest" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Round_bankId_fkey" FOREIGN KEY ("bankId") REFERENCES "QuestionBank" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Round" ("attemptPolicy", "bankId", "closesAt", "contestId", "createdAt", "createdById", "description", "difficultyCounts", "durationSeconds", "eligibleGroups", "groupBanks", "id", "maxAttempts", "name", "opensAt", "prediction", "publishedAt", "questionCount", "revealAnswers", "tieBreak", "topicCounts", "updatedAt") SELECT "attemptPolicy", "bankId", "closesAt", "contestId", "createdAt", "createdById", "description", "difficultyCounts", "durationSeconds", "eligibleGroups", "groupBanks", "id", "maxAttempts", "name", "opensAt", "prediction", "publishedAt", "questionCount", "revealAnswers", "tieBreak", "topicCounts", "updatedAt" FROM "Round";
DROP TABLE "Round";
ALTER TABLE "new_Round" RENAME TO "Round";
CREATE INDEX "Round_contestId_idx" ON "Round"("contestId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Flag_roundId_status_idx" ON "Flag"("roundId", "status");

-- CreateIndex
CREATE INDEX "Flag_userId_idx" ON "Flag"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Flag_attemptId_rule_key" ON "Flag"("attemptId", "rule");

-- CreateIndex
CREATE INDEX "Attempt_status_flagsCheckedAt_idx" ON "Attempt"("status", "flagsCheckedAt");

-- CreateIndex
CREATE INDEX "Attempt_roundId_deviceId_idx" ON "Attempt"("roundId", "deviceId");
