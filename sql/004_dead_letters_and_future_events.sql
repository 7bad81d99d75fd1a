-- StreamPulse schema, version 4: bounded dead letters, and future events kept aside.
--
-- Dead letters keep a bounded prefix of a bad record, and can stand for a whole batch that could
-- not be read.
--
-- raw holds at most the first 4096 bytes of the record (a huge bad record is not stored whole);
-- raw_length is the record's whole length (NULL in rows written before version 4).
-- last_offset is the last offset the row stands for: NULL for one record; for a Kafka record
-- batch the client could not read (an unknown compression codec, a bad CRC), the batch's last
-- offset, with source_offset its first.
ALTER TABLE dead_letters ADD COLUMN raw_length bigint;
ALTER TABLE dead_letters ADD COLUMN last_offset bigint;

-- late_events also keeps the events too far in the future (a clock gone wrong): reason 'future'.
-- They never moved the watermark; the others are 'late' (after their window's allowed lateness).
ALTER TABLE late_events ADD COLUMN reason text NOT NULL DEFAULT 'late';
