-- AlterTable
ALTER TABLE "Answer" ADD COLUMN     "ip" TEXT;

-- AlterTable
ALTER TABLE "Attempt" ADD COLUMN     "flagsCheckedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "flagRules" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "registrationDevice" TEXT,
ADD COLUMN     "registrationIp" TEXT;

-- CreateTable
CREATE TABLE "Flag" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'open',
    "reviewedById" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "reviewReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Flag_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;
