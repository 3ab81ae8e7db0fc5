import { useIdleTimeout } from '../../composables/useIdleLogout';
import { useStaffStore } from '../../stores/staff';

/**
 * Ends the staff session after the idle timeout without input, so a console left open does not
 * keep showing applicants' data. The service expires the session on its own clock as well.
 */
export function useStaffIdleLogout(): void {
  const staff = useStaffStore();
  useIdleTimeout({
    timeoutSeconds: () => (staff.staff !== null ? (staff.info?.idleTimeoutSeconds ?? 0) : 0),
    logout: () => staff.logout(),
    loginUrl: '/admin/login?error=auth.sessionExpired',
  });
}
