-- CreateTable
CREATE TABLE "AwardPlan" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    "complaintDays" INTEGER NOT NULL DEFAULT 5,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "snapshot" TEXT,
    "snapshotSha256" TEXT,
    "publishedAt" TIMESTAMP(3),
    "publishedById" TEXT,
    "republishReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AwardPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Award" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "tierOrder" INTEGER NOT NULL,
    "rank" INTEGER NOT NULL,
    "amount" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'winner',
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "verifiedById" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "replacedReason" TEXT,
    "replacedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Award_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExportRecord" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExportRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AwardPlan_roundId_key" ON "AwardPlan"("roundId");

-- CreateIndex
CREATE INDEX "Award_planId_status_idx" ON "Award"("planId", "status");

-- CreateIndex
CREATE INDEX "Award_roundId_idx" ON "Award"("roundId");

-- CreateIndex
CREATE INDEX "ExportRecord_sha256_idx" ON "ExportRecord"("sha256");

-- CreateIndex
CREATE INDEX "ExportRecord_roundId_idx" ON "ExportRecord"("roundId");

-- AddForeignKey
ALTER TABLE "Award" ADD CONSTRAINT "Award_planId_fkey" FOREIGN KEY ("planId") REFERENCES "AwardPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
