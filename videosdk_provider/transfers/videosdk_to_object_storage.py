"""Copy a session's recordings and transcripts into any Airflow object storage (``ObjectStoragePath``)."""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import quote, unquote, urlsplit

from airflow.sdk import BaseOperator

from videosdk_provider.bodies.checking import Checker, is_templated
from videosdk_provider.exceptions import VideoSDKTransferError
from videosdk_provider.utils.mixins import VideoSDKHookMixin

if TYPE_CHECKING:
    from airflow.providers.openlineage.extractors import OperatorLineage
    from airflow.sdk import Context, ObjectStoragePath

    from videosdk_provider.hooks.downloads import FileDownloader, RemoteFile

#: What ``include`` may name: room recordings, per-participant and per-track recordings, and the
#: transcript and summary files of post-call transcriptions.
INCLUDE_KINDS = ("recordings", "participant_recordings", "track_recordings", "transcriptions")
DEFAULT_INCLUDE = ("recordings",)
#: Part size of uploads to remote object stores: the memory an upload holds (S3 allows 5 MiB at least).
UPLOAD_BLOCK_SIZE = 8 << 20
CHECKSUM_SUFFIX = ".sha256"
_LOCAL_PROTOCOLS = frozenset({"file", "local"})


@dataclass(frozen=True)
class SessionFile:
    """One file of a session to copy: what it is, where it downloads from, where it goes under the prefix."""

    kind: str
    label: str
    url: str
    relative_path: str


@dataclass(frozen=True)
class CopiedFile:
    """A file now at its destination: its URI, size, SHA-256, and whether it was already there."""

    source: str
    destination: ObjectStoragePath
    size: int
    sha256: str
    skipped: bool


def _segment(value: object) -> str:
    """Make an id safe as one path segment: never empty, ``.``, ``..`` nor holding a ``/``."""
    text = quote(str(value), safe="-_.~@+=,")
    return "_" if text in ("", ".", "..") else text


def _file_name(url: str, storage_path: object = None) -> str:
    """Name the copy after the storage path's last segment, else the URL's."""
    source = storage_path if isinstance(storage_path, str) and storage_path else urlsplit(url).path
    return _segment(unquote(PurePosixPath(source).name))


def _file_url(item: Mapping[str, Any]) -> str | None:
    url = item.get("fileUrl")
    return url if isinstance(url, str) and url else None


class SessionMediaLister(Protocol):
    """The hook methods that list a session's media (``VideoSDKHook`` has them all)."""

    log: logging.Logger

    def iter_recordings(self, *, room_id: str, session_id: str | None = None) -> Iterable[Any]: ...

    def iter_participant_recordings(
        self, *, room_id: str | None = None, session_id: str | None = None
    ) -> Iterable[Any]: ...

    def iter_track_recordings(
        self, *, room_id: str | None = None, session_id: str | None = None
    ) -> Iterable[Any]: ...

    def iter_post_transcriptions(
        self, *, room_id: str | None = None, session_id: str | None = None
    ) -> Iterable[Any]: ...


def list_session_files(
    hook: SessionMediaLister, *, session_id: str, room_id: str, include: Sequence[str]
) -> Iterator[SessionFile]:
    """
    List the files of a session that ``include`` asks for, through the hook's listing methods.

    Items that have no file yet (a recording still running or failed, a transcription in
    progress) are logged and left out.
    """
    sid = _segment(session_id)
    if "recordings" in include:
        for recording in hook.iter_recordings(room_id=room_id, session_id=session_id):
            file = recording.get("file") or {}
            url = _file_url(file)
            if url is None:
                hook.log.warning(
                    "Room recording %s has no file yet (status %s): not copied",
                    recording.get("id"),
                    recording.get("status"),
                )
                continue
            name = _file_name(url, file.get("filePath"))
            yield SessionFile(
                "recording",
                f"room recording {recording.get('id')}",
                url,
                f"{sid}/recordings/{_segment(recording.get('id'))}/{name}",
            )
    listers: tuple[tuple[str, str, Callable[..., Iterable[Any]]], ...] = (
        ("participant_recording", "participant-recordings", hook.iter_participant_recordings),
        ("track_recording", "track-recordings", hook.iter_track_recordings),
    )
    for kind, folder, lister in listers:
        if f"{kind}s" not in include:
            continue
        for recording in lister(room_id=room_id, session_id=session_id):
            folders = [_segment(recording.get("participantId"))]
            if kind == "track_recording":
                folders.append(_segment(recording.get("kind")))
            folders.append(_segment(recording.get("id")))
            files = [item for item in recording.get("files") or [] if _file_url(item)]
            if not files:
                hook.log.warning(
                    "%s %s has no file yet (status %s): not copied",
                    kind.replace("_", " ").capitalize(),
                    recording.get("id"),
                    recording.get("status"),
                )
            for item in files:
                url = item["fileUrl"]
                yield SessionFile(
                    kind,
                    f"{kind.replace('_', ' ')} {recording.get('id')}",
                    url,
                    "/".join([sid, folder, *folders, _file_name(url, item.get("filePath"))]),
                )
    if "transcriptions" in include:
        for transcription in hook.iter_post_transcriptions(room_id=room_id, session_id=session_id):
            found = False
            for key, stem in (("transcriptionFilePaths", "transcript"), ("summarizedFilePaths", "summary")):
                for fmt, url in sorted((transcription.get(key) or {}).items()):
                    if not isinstance(url, str) or not url:
                        continue
                    found = True
                    yield SessionFile(
                        "transcription",
                        f"{stem} {fmt} of transcription {transcription.get('id')}",
                        url,
                        f"{sid}/transcriptions/{_segment(transcription.get('id'))}/{stem}.{_segment(fmt)}",
                    )
            if not found:
                hook.log.warning(
                    "Post-call transcription %s has no files yet (status %s): not copied",
                    transcription.get("id"),
                    transcription.get("status"),
                )


class _Upload(Protocol):
    """A file being written: nothing appears under its final name before :meth:`commit`."""

    def write(self, data: bytes) -> None: ...

    def commit(self) -> None: ...

    def discard(self) -> None: ...


class _LocalUpload:
    """A local file written under a hidden temporary name in the same folder, then renamed atomically."""

    def __init__(self, final: Path) -> None:
        final.parent.mkdir(parents=True, exist_ok=True)
        self._final = final
        self._temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}.partial")
        self._file = open(self._temporary, "xb")

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def commit(self) -> None:
        self._file.close()
        os.replace(self._temporary, self._final)

    def discard(self) -> None:
        self._file.close()
        self._temporary.unlink(missing_ok=True)


class _ObjectUpload:
    """
    An object written with ``autocommit=False``: a multipart upload completed on commit, aborted on discard.

    ``fsspec`` filesystems (s3fs, gcsfs, adlfs) then publish the object only when it is complete.
    """

    def __init__(self, path: ObjectStoragePath) -> None:
        self._file = path.fs.open(path.path, "wb", autocommit=False, block_size=UPLOAD_BLOCK_SIZE)

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def commit(self) -> None:
        self._file.close()
        self._file.commit()

    def discard(self) -> None:
        try:
            self._file.close()
        finally:
            self._file.discard()


def _storage_error(
    label: str, path: ObjectStoragePath, error: OSError, action: str = "write"
) -> VideoSDKTransferError:
    reason = error.strerror or str(error) or type(error).__name__
    return VideoSDKTransferError(f"cannot {action} {path}: {reason}", label=label)


class _GuardedUpload:
    """An upload whose storage errors name the file and the destination path."""

    def __init__(self, label: str, path: ObjectStoragePath) -> None:
        self._label, self._path = label, path
        local = path.protocol in _LOCAL_PROTOCOLS
        self._upload: _Upload = self._guard(
            lambda: _LocalUpload(Path(path.path)) if local else _ObjectUpload(path)
        )

    def _guard(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except OSError as error:
            raise _storage_error(self._label, self._path, error) from error

    def write(self, data: bytes) -> None:
        self._guard(lambda: self._upload.write(data))

    def commit(self) -> None:
        self._guard(self._upload.commit)

    def discard(self) -> None:
        self._guard(self._upload.discard)


def _checksum_path(path: ObjectStoragePath) -> ObjectStoragePath:
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def _recorded_checksum(path: ObjectStoragePath) -> str | None:
    """Read the SHA-256 that a previous copy recorded next to ``path`` (``sha256sum`` format)."""
    try:
        text = _checksum_path(path).read_text()
    except FileNotFoundError:
        return None
    digest = text.split(" ", 1)[0].strip().lower()
    return digest if len(digest) == 64 else None


def _local_sha256(path: ObjectStoragePath) -> str:
    digest = hashlib.sha256()
    with open(path.path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class VideoSDKToObjectStorageOperator(VideoSDKHookMixin, BaseOperator):
    """
    Copy a session's recording and transcript files into object storage; return one URI per file.

    Any ``ObjectStoragePath`` works as the destination: ``file:///archive/``,
    ``s3://aws_conn@bucket/prefix/``, ``gs://...``. Each file goes under
    ``<destination>/<sessionId>/``: ``recordings/<recordingId>/<name>``,
    ``participant-recordings/<participantId>/<recordingId>/<name>``,
    ``track-recordings/<participantId>/<kind>/<recordingId>/<name>`` and
    ``transcriptions/<transcriptionId>/transcript.<txt|json>`` / ``summary.<txt>``.

    Each file is downloaded from its storage URL (never sending the API token) and streamed in
    chunks, so memory stays flat whatever its size. A cut download resumes (``Range``) or restarts;
    the byte count is checked against ``Content-Length``. Nothing appears under a final name until
    the file is complete: local files are written under a hidden temporary name and renamed; remote
    objects are multipart uploads, completed at the end and aborted on error. Next to each file, a
    ``<name>.sha256`` file records its SHA-256 in ``sha256sum`` format. A retry skips every file
    whose copy has the source's size and a recorded checksum (re-verified by reading the file back
    on ``file://``), so it copies only what is missing.

    Lineage: each source URL (without its query) and destination are reported to Airflow's hook
    lineage collector, and to OpenLineage through ``get_openlineage_facets_on_complete``.

    :param session_id: The session whose files to copy. (templated)
    :param destination: Object storage URI of the folder to copy into. (templated)
    :param destination_conn_id: Connection of the destination's filesystem, e.g. an ``aws``
        connection for ``s3://``; ``None`` uses the one in the URI, or the default. (templated)
    :param include: Which files: any of ``recordings`` (room recordings, the default),
        ``participant_recordings``, ``track_recordings`` and ``transcriptions`` (transcript and
        summary files of post-call transcriptions).
    :param room_id: The session's room; read from the session when not given. (templated)
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    template_fields: Sequence[str] = (
        "session_id",
        "destination",
        "destination_conn_id",
        "room_id",
        "videosdk_conn_id",
    )
    ui_color = "#e6f0fd"

    def __init__(
        self,
        *,
        session_id: str,
        destination: str,
        destination_conn_id: str | None = None,
        include: Sequence[str] = DEFAULT_INCLUDE,
        room_id: str | None = None,
        videosdk_conn_id: str = "videosdk_default",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.session_id = session_id
        self.destination = destination
        self.destination_conn_id = destination_conn_id
        self.include = tuple(include) if isinstance(include, (list, tuple)) else include
        self.room_id = room_id
        self.videosdk_conn_id = videosdk_conn_id
        self._copied: list[CopiedFile] = []
        self._check(at_parse_time=True)

    def _check(self, *, at_parse_time: bool) -> None:
        check = Checker(at_parse_time=at_parse_time)
        check.identifier("session_id", self.session_id)
        check.identifier("room_id", self.room_id, optional=True)
        check.identifier("destination_conn_id", self.destination_conn_id, optional=True)
        destination = check.string("destination", self.destination)
        if destination is not None and not is_templated(destination) and "://" not in destination:
            check.fail(
                "destination",
                f"expected an object storage URI such as 'file:///archive/' or "
                f"'s3://aws_conn@bucket/prefix/', got {destination!r}",
            )
        if not isinstance(self.include, tuple) or not self.include:
            check.fail("include", f"expected a non-empty list of {', '.join(map(repr, INCLUDE_KINDS))}")
        else:
            for index, kind in enumerate(self.include):
                check.choice(f"include[{index}]", kind, INCLUDE_KINDS)
        check.raise_problems()

    def execute(self, context: Context) -> list[str]:
        from airflow.sdk import ObjectStoragePath

        self._check(at_parse_time=False)
        destination = ObjectStoragePath(self.destination, conn_id=self.destination_conn_id)
        room_id = self.room_id or self.hook.get_session(self.session_id)["roomId"]
        lister = cast("SessionMediaLister", self.hook)
        files = list(
            list_session_files(lister, session_id=self.session_id, room_id=room_id, include=self.include)
        )
        self.log.info("Copying %d file(s) of session %s to %s", len(files), self.session_id, destination)
        return self.copy_files(files, destination)

    def copy_files(self, files: Sequence[SessionFile], destination: ObjectStoragePath) -> list[str]:
        """Copy ``files`` under ``destination`` one after the other; return their destination URIs."""
        from videosdk_provider.hooks.downloads import FileDownloader

        self._copied = []
        with FileDownloader.for_hook(self.hook, log=self.log) as downloader:
            for file in files:
                self._copied.append(self.copy_file(downloader, file, destination / file.relative_path))
        copied = [item for item in self._copied if not item.skipped]
        self.log.info(
            "Copied %d file(s) (%s bytes); %d already at the destination",
            len(copied),
            f"{sum(item.size for item in copied):,}",
            len(self._copied) - len(copied),
        )
        return [str(item.destination) for item in self._copied]

    def copy_file(
        self, downloader: FileDownloader, file: SessionFile, target: ObjectStoragePath
    ) -> CopiedFile:
        """Copy one file to ``target`` unless an intact copy is already there; report its lineage."""
        with downloader.open(file.url, label=file.label) as remote:
            digest = self._intact_copy(file.label, target, remote.size)
            if digest is not None:
                self.log.info(
                    "%s: already at %s with the same size and checksum; skipped", file.label, target
                )
                copied = CopiedFile(remote.url, target, remote.size or 0, digest, skipped=True)
            else:
                copied = self._copy(remote, target)
        self._report_lineage(copied)
        return copied

    @staticmethod
    def _intact_copy(label: str, target: ObjectStoragePath, size: int | None) -> str | None:
        """Return the recorded SHA-256 of a copy already at ``target`` with the source's size, if any."""
        try:
            if size is None or not target.is_file() or target.stat().st_size != size:
                return None
            recorded = _recorded_checksum(target)
            if recorded is None:
                return None
            if target.protocol in _LOCAL_PROTOCOLS and _local_sha256(target) != recorded:
                return None
        except OSError as error:
            raise _storage_error(label, target, error, "read") from error
        return recorded

    def _copy(self, remote: RemoteFile, target: ObjectStoragePath) -> CopiedFile:
        upload = _GuardedUpload(remote.label, target)
        try:
            downloaded = remote.copy_to(upload.write)
            upload.commit()
        except BaseException:
            try:
                upload.discard()
            except VideoSDKTransferError as error:
                self.log.warning("%s: could not discard the unfinished copy: %s", remote.label, error)
            raise
        checksum = _GuardedUpload(remote.label, _checksum_path(target))
        checksum.write(f"{downloaded.sha256}  {target.name}\n".encode())
        checksum.commit()
        self.log.info("%s: copied to %s (sha256 %s)", remote.label, target, downloaded.sha256)
        return CopiedFile(remote.url, target, downloaded.size, downloaded.sha256, skipped=False)

    def _report_lineage(self, copied: CopiedFile) -> None:
        """Tell Airflow's hook lineage collector where the archived file came from."""
        try:
            from airflow.sdk.lineage import get_hook_lineage_collector
        except ImportError:  # Airflow 3.1
            from airflow.lineage.hook import (  # type: ignore[no-redef,unused-ignore]
                get_hook_lineage_collector,
            )

        collector = get_hook_lineage_collector()
        collector.add_input_asset(context=self.hook, uri=copied.source)
        collector.add_output_asset(context=copied.destination, uri=str(copied.destination))

    def get_openlineage_facets_on_complete(self, task_instance: Any) -> OperatorLineage[Any, Any]:
        """Describe the copy for OpenLineage: each source recording URL as input, each copy as output."""
        from airflow.providers.common.compat.openlineage.facet import Dataset
        from airflow.providers.openlineage.extractors import OperatorLineage

        inputs, outputs = [], []
        for copied in self._copied:
            source = urlsplit(copied.source)
            inputs.append(Dataset(namespace=f"{source.scheme}://{source.netloc}", name=source.path))
            outputs.append(Dataset(namespace=copied.destination.namespace, name=copied.destination.key))
        return OperatorLineage(inputs=inputs, outputs=outputs)
