package io.spillway.store.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** A server-side copy of an object over 5 GiB, which S3 copies only part by part ({@code UploadPartCopy}). */
final class S3LargeCopy {
    private static final long PART = 1L << 30;

    private final S3Store store;
    private final String source;
    private final String target;
    private final long size;

    S3LargeCopy(S3Store store, String source, String target, long size) {
        this.store = store;
        this.source = source;
        this.target = target;
        this.size = size;
    }

    void run() throws IOException {
        long part = Math.max(PART, (size + 9_999) / 10_000);
        String uploadId = store.startUpload(target);
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long from = 0; from < size; from += part) {
                int number = parts.size() + 1;
                String range = "bytes=" + from + "-" + (Math.min(size, from + part) - 1);
                var r = store.call("copy", "s3:GetObject and s3:PutObject", target, () -> store.client().uploadPartCopy(
                        b -> b.sourceBucket(store.bucket()).sourceKey(source).destinationBucket(store.bucket())
                                .destinationKey(target).uploadId(uploadId).partNumber(number).copySourceRange(range)));
                parts.add(CompletedPart.builder().partNumber(number).eTag(r.copyPartResult().eTag()).build());
            }
            store.completeUpload(target, uploadId, parts);
            completed = true;
        } finally {
            if (!completed) {
                store.abortUpload(target, uploadId);
            }
        }
    }
}
