-- CreateIndex
CREATE INDEX "User_registrationDevice_createdAt_idx" ON "User"("registrationDevice", "createdAt");

-- CreateIndex
CREATE INDEX "User_registrationIp_createdAt_idx" ON "User"("registrationIp", "createdAt");

-- CreateIndex
CREATE INDEX "Attempt_roundId_startedAt_idx" ON "Attempt"("roundId", "startedAt");
