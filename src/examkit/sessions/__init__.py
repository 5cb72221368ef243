"""Test sessions (*afnames*): tests, candidates, session groups, access codes, attempts, reports.

A planner plans a :class:`TestSessionGroup` (*afnamegroep*) of a test
(:class:`Exam`) for candidates (:class:`Candidate`); the proctor releases
it and hands out the access code; candidates sign in with their login name
and the code and answer; the proctor closes the group with the session
report. The group's lifecycle is the declared table
:data:`GROUP_LIFECYCLE`, the attempt's :data:`ATTEMPT_LIFECYCLE`, the
offline server's :data:`SERVER_LIFECYCLE` (each an
:class:`examkit.statemachine.StateMachine`). The use
cases are small classes, each reached through its own attribute of the kit:
:class:`CandidateRegistry` (``kit.candidates``), :class:`Planning`
(``kit.planning``), :class:`OfflineServerRegistry` (``kit.offline_servers``),
:class:`GroupLifecycle` (``kit.group_lifecycle``), :class:`Sitting`
(``kit.sitting``), :class:`Proctoring` (``kit.proctoring``),
:class:`SessionReports` (``kit.session_reports``) and the Flemish desk,
:class:`FlemishDesk` (``kit.flemish``).

>>> GROUP_LIFECYCLE.move("release", GroupState.PLANNED).target
<GroupState.RELEASED: 'released'>
>>> try:
...     GROUP_LIFECYCLE.move("release", GroupState.CLOSED)
... except TransitionNotAllowed as error:
...     print(error.message("en"))
The move 'release' is not allowed in the state 'closed'; nothing was changed.

Implements SCH-1 to SCH-7, AUTH-12.
"""

from examkit.sessions._candidate_file import (
    CANDIDATE_FILE_COLUMNS,
    CANDIDATE_FILE_REQUIRED,
    CandidateRow,
    decode_text,
    detect_delimiter,
    read_candidate_file,
)
from examkit.sessions._candidates import CandidateRegistry
from examkit.sessions._codes import (
    ALPHABET,
    CODE_LENGTH,
    code_entropy_bits,
    new_access_code,
    new_login_name,
    normalise_access_code,
)
from examkit.sessions._common import find_overlap
from examkit.sessions._flemish import (
    BRUSSELS,
    FlemishRegistration,
    Logbook,
    ParticipationLine,
    PupilRegistration,
    RegistrationWindow,
    TestMoment,
    TestReport,
    participation_list,
    registration_problems,
    test_report,
)
from examkit.sessions._flemish_desk import FlemishDesk
from examkit.sessions._group_file import (
    GROUP_FILE_COLUMNS,
    GROUP_FILE_REQUIRED,
    GroupRow,
    read_group_file,
)
from examkit.sessions._group_lifecycle import GroupLifecycle
from examkit.sessions._lifecycle import (
    ATTEMPT_LIFECYCLE,
    FINAL_ATTEMPT_STATES,
    GROUP_LIFECYCLE,
    AttemptState,
    AttemptTransition,
    GroupState,
    GroupTransition,
    Guard,
    TransitionNotAllowed,
    group_transition,
)
from examkit.sessions._model import (
    AMSTERDAM,
    MAX_CENTRAL_EXTRA_TIME,
    Attempt,
    AttemptEvent,
    Candidate,
    CandidateSession,
    Exam,
    Facilities,
    Incident,
    ItemSlot,
    Mode,
    RecordedResponse,
    Remark,
    ResponseReceipt,
    SavedResponse,
    Scoring,
    SessionReport,
    TestSessionGroup,
    TransitionRecord,
    attempt_id,
    deadline_of,
)
from examkit.sessions._offline import (
    SERVER_LIFECYCLE,
    OfflineServer,
    ServerState,
)
from examkit.sessions._offline_servers import OfflineServerRegistry
from examkit.sessions._paper import AnswerSheetOrder, SheetLine, order_answer_sheets
from examkit.sessions._planning import Planning
from examkit.sessions._proctoring import Proctoring
from examkit.sessions._records import (
    CANDIDATES,
    EXAMS,
    FLEMISH_REGISTRATIONS,
    OFFLINE_SERVERS,
    SESSION_GROUPS,
    TEST_ATTEMPTS,
    AttemptRecords,
    CandidateRecords,
    ExamRecords,
    FlemishRegistrationRecords,
    OfflineServerRecords,
    SessionGroupRecords,
    group_sort_key,
)
from examkit.sessions._repository import (
    AttemptRepository,
    CandidateRepository,
    ExamRepository,
    FlemishRegistrationRepository,
    OfflineServerRepository,
    SessionGroupRepository,
    record_response_by_reading,
)
from examkit.sessions._session_reports import SessionReports
from examkit.sessions._sitting import SIGN_IN, SignInLimits, Sitting
from examkit.sessions._views import (
    AccessSlip,
    Attendance,
    GroupImport,
    GroupImportLine,
    Monitor,
    MonitorCandidate,
    MonitorGroup,
    SessionReportData,
    monitor_group,
    seconds_left,
    session_report_data,
)

__all__ = [
    "ALPHABET",
    "AMSTERDAM",
    "ATTEMPT_LIFECYCLE",
    "BRUSSELS",
    "CANDIDATES",
    "CANDIDATE_FILE_COLUMNS",
    "CANDIDATE_FILE_REQUIRED",
    "CODE_LENGTH",
    "EXAMS",
    "FINAL_ATTEMPT_STATES",
    "FLEMISH_REGISTRATIONS",
    "GROUP_FILE_COLUMNS",
    "GROUP_FILE_REQUIRED",
    "GROUP_LIFECYCLE",
    "MAX_CENTRAL_EXTRA_TIME",
    "OFFLINE_SERVERS",
    "SERVER_LIFECYCLE",
    "SESSION_GROUPS",
    "SIGN_IN",
    "TEST_ATTEMPTS",
    "AccessSlip",
    "AnswerSheetOrder",
    "Attempt",
    "AttemptEvent",
    "AttemptRecords",
    "AttemptRepository",
    "AttemptState",
    "AttemptTransition",
    "Attendance",
    "Candidate",
    "CandidateRecords",
    "CandidateRegistry",
    "CandidateRepository",
    "CandidateRow",
    "CandidateSession",
    "Exam",
    "ExamRecords",
    "ExamRepository",
    "Facilities",
    "FlemishDesk",
    "FlemishRegistration",
    "FlemishRegistrationRecords",
    "FlemishRegistrationRepository",
    "GroupImport",
    "GroupImportLine",
    "GroupLifecycle",
    "GroupRow",
    "GroupState",
    "GroupTransition",
    "Guard",
    "Incident",
    "ItemSlot",
    "Logbook",
    "Mode",
    "Monitor",
    "MonitorCandidate",
    "MonitorGroup",
    "OfflineServer",
    "OfflineServerRecords",
    "OfflineServerRegistry",
    "OfflineServerRepository",
    "ParticipationLine",
    "Planning",
    "Proctoring",
    "PupilRegistration",
    "RecordedResponse",
    "RegistrationWindow",
    "Remark",
    "ResponseReceipt",
    "SavedResponse",
    "Scoring",
    "ServerState",
    "SessionGroupRecords",
    "SessionGroupRepository",
    "SessionReport",
    "SessionReportData",
    "SessionReports",
    "SheetLine",
    "SignInLimits",
    "Sitting",
    "TestMoment",
    "TestReport",
    "TestSessionGroup",
    "TransitionNotAllowed",
    "TransitionRecord",
    "attempt_id",
    "code_entropy_bits",
    "deadline_of",
    "decode_text",
    "detect_delimiter",
    "find_overlap",
    "group_sort_key",
    "group_transition",
    "monitor_group",
    "new_access_code",
    "new_login_name",
    "normalise_access_code",
    "order_answer_sheets",
    "participation_list",
    "read_candidate_file",
    "read_group_file",
    "record_response_by_reading",
    "registration_problems",
    "seconds_left",
    "session_report_data",
    "test_report",
]
